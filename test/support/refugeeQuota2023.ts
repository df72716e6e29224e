/** The 2023 refugee quota case of the walks: Udlændingestyrelsen's letter of 30 April 2023 (landstal 550) and the
 * quotas calculated from Bilag A, for Region Syddanmark. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseMunicipalitiesCsv } from '../../domain/municipalities';
import { calculateRefugeeQuotas } from '../../domain/refugeeQuota';
import type { RefugeeQuotaInput } from '../../workflows/refugeeQuota/contract';

export const csv = parseMunicipalitiesCsv(readFileSync(path.join(__dirname, '../../data/municipalities-2024.csv'), 'utf8'));
export const REGION_QUOTAS = { 'Region Hovedstaden': 135, 'Region Sjælland': 81, 'Region Syddanmark': 125, 'Region Midtjylland': 141, 'Region Nordjylland': 68 };

export function input2023(agencyEmail: string): RefugeeQuotaInput {
  const result = calculateRefugeeQuotas({ landstal: 550, regionQuotas: REGION_QUOTAS, municipalities: csv });
  const names = new Map(csv.map((m) => [m.kommunenr, m.name]));
  return {
    quotaYear: 2024,
    landstal: 550,
    region: 'Region Syddanmark',
    regionQuota: 125,
    announcementDate: '2023-04-30',
    calculatedQuotas: result.quotas
      .filter((q) => q.region === 'Region Syddanmark')
      .map((q) => ({ kommunenr: q.kommunenr, partyId: String(q.kommunenr), name: names.get(q.kommunenr)!, quota: q.quota })),
    deadlines: {
      positions: { wording: 'senest fredag den 2. juni 2023', rule: 'generalShift', nominalDate: '2023-06-02' },
      agreement: { wording: 'inden den 10. september 2023', rule: 'generalShift', nominalDate: '2023-09-10' },
      fallback: { wording: 'inden den 30. september 2023', rule: 'noShift', nominalDate: '2023-09-30' },
    },
    ratificationRequired: false,
    agencyEmail: 'asylkontor@us.example',
    startedBy: 'sekretariatet (test)',
  };
}
