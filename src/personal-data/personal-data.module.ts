import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventStore } from '../event-store/event-store.port';
import { PersonalDataErasures } from './personal-data.erasures';
import { PersonalDataVault } from './personal-data.vault';

/**
 * The vault of data keys, and erasures over it, for every module. The vault is opened (and the
 * master key checked) by `createApp` before Nest starts, so a wrong key stops the service with
 * one sentence; this module takes that vault over and closes it on shutdown.
 */
@Global()
@Module({})
export class PersonalDataModule implements OnApplicationShutdown {
  static forRoot(vault: PersonalDataVault): DynamicModule {
    return {
      module: PersonalDataModule,
      providers: [
        { provide: PersonalDataVault, useValue: vault },
        {
          provide: PersonalDataErasures,
          inject: [EventStore, PersonalDataVault],
          useFactory: (store: EventStore, opened: PersonalDataVault) =>
            new PersonalDataErasures(store, opened),
        },
      ],
      exports: [PersonalDataVault, PersonalDataErasures],
    };
  }

  constructor(@Inject(PersonalDataVault) private readonly vault: PersonalDataVault) {}

  async onApplicationShutdown(): Promise<void> {
    await this.vault.close();
  }
}
