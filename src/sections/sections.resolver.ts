import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Public, RequireRole } from '../common/auth/decorators';
import { parseIdOrSlug } from '../common/http/id-or-slug.pipe';
import { CreateSectionInput, UpdateSectionInput } from './dto/section.input';
import { Section } from './section.model';
import { SectionsService } from './sections.service';

@Resolver(() => Section)
export class SectionsResolver {
  constructor(private readonly service: SectionsService) {}

  @Query(() => [Section], { description: 'The root sections, each with its children.' })
  @Public()
  sections(): Promise<Section[]> {
    return this.service.list();
  }

  @Query(() => Section, { nullable: true })
  @Public()
  async section(@Args('slug') slug: string): Promise<Section | null> {
    return this.service.find(parseIdOrSlug(slug, 'slug'));
  }

  @Mutation(() => Section)
  @RequireRole('editor')
  createSection(@Args('input') input: CreateSectionInput, @CurrentActor() actor: Actor): Promise<Section> {
    return this.service.create(input, actor);
  }

  @Mutation(() => Section, { description: '`id` takes an id or a slug.' })
  @RequireRole('editor')
  updateSection(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateSectionInput,
    @CurrentActor() actor: Actor,
  ): Promise<Section> {
    return this.service.update(parseIdOrSlug(id, 'id'), input, actor);
  }

  @Mutation(() => Boolean, { description: '`id` takes an id or a slug.' })
  @RequireRole('editor')
  async deleteSection(
    @Args('id', { type: () => ID }) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<boolean> {
    await this.service.remove(parseIdOrSlug(id, 'id'), actor);
    return true;
  }
}
