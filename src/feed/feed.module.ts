import { Module } from '@nestjs/common';
import { CaseEventsModule } from '../cases/application/case-events.module';
import { CaseEventFeed } from './case-event-feed';
import { CaseEventsHttpController } from './case-events.http.controller';

/** The case event feed for projection consumers (SPEC section 6). */
@Module({
  imports: [CaseEventsModule],
  controllers: [CaseEventsHttpController],
  providers: [CaseEventFeed],
})
export class FeedModule {}
