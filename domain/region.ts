/**
 * The region this installation serves. KKR Syddanmark's cases go to the municipalities of Region Syddanmark
 * and the Region itself; every query, picker and default that means "our region" reads it from here.
 */
export const HOME_REGION = 'Region Syddanmark';

/** Denmark's five regions, in the order the landstal letter lists them. */
export const DANISH_REGIONS = ['Region Hovedstaden', 'Region Sjælland', 'Region Syddanmark', 'Region Midtjylland', 'Region Nordjylland'] as const;
export type DanishRegion = (typeof DANISH_REGIONS)[number];
