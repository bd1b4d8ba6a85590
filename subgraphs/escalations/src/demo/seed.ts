import type { DataSource } from 'typeorm';

/** Demo escalations come from the demo case events (the engine raises them), so there is nothing to seed. */
export async function seedEscalationsDemo(_dataSource: DataSource): Promise<void> {}
