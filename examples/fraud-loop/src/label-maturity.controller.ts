import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EpochMaturity } from './label-maturity';
import { LabelMaturityStore } from './label-maturity.store';

const HORIZON_EXAMPLE = { labelled: 1210, share: 0.605, positives: 12, auc: 0.91, logLoss: 0.081 };

/** Live metrics of a loop pipeline's epochs by label maturity (admin keys only). */
@ApiTags('admin: pipelines')
@Controller('admin/pipelines/:name/label-maturity')
export class LabelMaturityController {
  constructor(private readonly maturity: LabelMaturityStore) {}

  @Get()
  @ApiOperation({
    summary:
      "Per epoch: its events, and the share labelled with the served model's AUC and log loss at 1 day and 7 days after each transaction, and now (final)",
    description:
      'Labels arrive late (chargebacks take days); these figures follow them: a late label updates its epoch (final, and the horizon it came within). An empty list for a pipeline the loop has not seen.',
  })
  @ApiOkResponse({
    schema: {
      example: [
        {
          epoch: 2,
          events: 2000,
          horizons: {
            '1d': HORIZON_EXAMPLE,
            '7d': { ...HORIZON_EXAMPLE, labelled: 1900, share: 0.95, positives: 40 },
            final: { ...HORIZON_EXAMPLE, labelled: 2000, share: 1, positives: 46 },
          },
        },
      ],
    },
  })
  byEpoch(@Param('name') name: string): Promise<EpochMaturity[]> {
    return this.maturity.byEpoch(name);
  }
}
