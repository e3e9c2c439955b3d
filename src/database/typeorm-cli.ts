import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';

/** For TypeORM's own CLI only, e.g. `npx typeorm migration:show -d dist/src/database/typeorm-cli.js`. */
export default new DataSource(dataSourceOptions(loadConfig()));
