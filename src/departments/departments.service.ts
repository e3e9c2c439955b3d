import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Department } from './department.entity';

@Injectable()
export class DepartmentsService {
  constructor(private readonly dataSource: DataSource) {}

  list(): Promise<Department[]> {
    return this.dataSource.getRepository(Department).find({ order: { sortOrder: 'ASC', id: 'ASC' } });
  }

  async exists(id: number): Promise<boolean> {
    return (await this.dataSource.getRepository(Department).countBy({ id })) > 0;
  }
}
