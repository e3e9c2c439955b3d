import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals } from 'class-validator';
import { toBool } from '../../common/form-transforms';
import { EvaluatorFieldsDto } from './evaluator-fields.dto';


/** The public application form (自愿申请). */
export class ApplicationDto extends EvaluatorFieldsDto {
  @ApiProperty({ description: '本人自愿无偿参与评价工作', example: true })
  @Transform(toBool) @Equals(true)
  consent: boolean;
}
