import { migratedDatabase, MigratedDatabase } from '../../../tools/testing';
import { DataSource } from 'typeorm';
import { PipelineService } from '../src';

const definition = (output: string) => ({
  stages: [{ name: 'infer', input: { stream: 'features' }, handler: 'fraud.infer.v1', outputs: [output] }],
});

describe(PipelineService.name, () => {
  let database: MigratedDatabase;
  let dataSource: DataSource;
  let service: PipelineService;

  beforeAll(async () => {
    database = await migratedDatabase();
    dataSource = database.dataSource;
    service = new PipelineService(dataSource);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('stores a validated definition as version 1 and bumps the version only when the definition changes', async () => {
    const created = await service.save('fraud', definition('predictions'));
    const repeated = await service.save('fraud', definition('predictions'));
    const changed = await service.save('fraud', definition('scores'));

    expect(created).toMatchObject({ name: 'fraud', version: 1 });
    expect(created.definition.stages[0].input.subscription).toBe('fraud.infer');
    expect(repeated.version).toBe(1);
    expect(changed.version).toBe(2);
    expect((await service.get('fraud')).definition.stages[0].outputs).toEqual(['scores']);
    expect((await service.list()).map((pipeline) => pipeline.name)).toEqual(['fraud']);
  });

  it('refuses a write made against a version that is no longer current', async () => {
    await service.save('churn', definition('a'), { expectedVersion: 0 });
    await service.save('churn', definition('b'), { expectedVersion: 1 });

    await expect(service.save('churn', definition('c'), { expectedVersion: 1 })).rejects.toMatchObject({
      code: 'PIPELINE_VERSION_CONFLICT',
      message: 'pipeline "churn" is at version 2, not 1',
    });
    await expect(service.save('churn', definition('c'), { expectedVersion: 0 })).rejects.toMatchObject({
      code: 'PIPELINE_VERSION_CONFLICT',
    });
  });

  it('refuses an invalid definition and stores nothing', async () => {
    await expect(service.save('broken', { stages: [] })).rejects.toMatchObject({
      code: 'INVALID_PIPELINE_DEFINITION',
    });
    await expect(service.get('broken')).rejects.toMatchObject({ code: 'PIPELINE_NOT_FOUND' });
  });

  it('deletes a pipeline, and says so when there is none to delete', async () => {
    await service.save('gone', definition('a'));

    await service.delete('gone');

    await expect(service.get('gone')).rejects.toMatchObject({ code: 'PIPELINE_NOT_FOUND' });
    await expect(service.delete('gone')).rejects.toMatchObject({ code: 'PIPELINE_NOT_FOUND' });
  });
});
