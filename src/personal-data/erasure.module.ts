import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../cases/projections/projections.module';
import { ErasuresHttpController } from './http/erasures.http.controller';

/** `POST /personal-data/erasures`: the HTTP side of forgetting a person. */
@Module({
  imports: [ProjectionsModule],
  controllers: [ErasuresHttpController],
})
export class ErasureModule {}
