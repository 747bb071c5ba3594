// Fixed ids of the demo data, so links, tests and screenshots stay stable across fresh starts.
export const ORG = {
  naestved: '00000000-0000-4000-8000-000000000101',
  regionSjaelland: '00000000-0000-4000-8000-000000000102',
  paOdense: '00000000-0000-4000-8000-000000000103',
  nordfyn: '00000000-0000-4000-8000-000000000104',
  vive: '00000000-0000-4000-8000-000000000105',
  fond: '00000000-0000-4000-8000-000000000106',
} as const;

export const PROGRAMME = {
  paaVej: '00000000-0000-4000-8000-000000000201',
  fremskudt: '00000000-0000-4000-8000-000000000202',
} as const;

export const userId = (n: number) => `00000000-0000-4000-8000-${String(300 + n).padStart(12, '0')}`;
