import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from './clock';

/**
 * Makes Clock injectable everywhere. The server and the CLI pass nothing (the system clock); tests
 * pass their own (a TestClock).
 */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new Clock()): DynamicModule {
    return {
      module: ClockModule,
      providers: [{ provide: Clock, useValue: clock }],
      exports: [Clock],
    };
  }
}
