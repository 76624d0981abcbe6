import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.module';
import { EventStore } from '../event-store/event-store.port';
import { openPersonalDataVault } from './open-vault';
import { PersonalDataErasures } from './personal-data.erasures';
import { PersonalDataVault } from './personal-data.vault';

/** The vault of data keys, opened (and the master key checked) before anything reads events. */
@Module({
  providers: [
    {
      provide: PersonalDataVault,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openPersonalDataVault(config),
    },
    {
      provide: PersonalDataErasures,
      inject: [EventStore, PersonalDataVault],
      useFactory: (store: EventStore, vault: PersonalDataVault) =>
        new PersonalDataErasures(store, vault),
    },
  ],
  exports: [PersonalDataVault, PersonalDataErasures],
})
export class PersonalDataModule implements OnApplicationShutdown {
  constructor(@Inject(PersonalDataVault) private readonly vault: PersonalDataVault) {}

  async onApplicationShutdown(): Promise<void> {
    await this.vault.close();
  }
}
