import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GyreConfig } from '@gyre/config';
import { DataSourceRole, gyreDataSourceOptions } from './data-source-options';
import { applyPendingMigrations } from './migration-commands';

/** The DataSource for a Nest app; needs GyreConfigModule imported by the app. */
@Module({})
export class DatabaseModule {
  static forRoot(role: DataSourceRole): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [GyreConfig],
          useFactory: (config: GyreConfig) => ({
            ...gyreDataSourceOptions(config, role),
            // Nest's default (9 attempts, 3 s apart) hides a wrong DATABASE_URL for half a minute.
            retryAttempts: 2,
            retryDelay: 1000,
          }),
          // A migrating role (the API) applies pending migrations before anything uses the schema.
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            try {
              if (role.migrationsRun) await applyPendingMigrations(dataSource);
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}
