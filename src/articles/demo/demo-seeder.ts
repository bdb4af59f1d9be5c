import { Injectable } from '@nestjs/common';

@Injectable()
export class DemoSeeder {
  async seedIfEmpty(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
