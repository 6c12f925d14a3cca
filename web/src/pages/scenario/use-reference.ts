/** Reference data for the pickers, fetched once per page load (it changes only with a deployment). */
import { useEffect, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api';

export interface ReferenceData {
  readonly nationalities: readonly Schemas['Nationality'][];
  readonly warfareTypes: readonly Schemas['WarfareType'][];
  readonly facilityTypes: readonly Schemas['FacilityType'][];
  readonly staticFronts: readonly Schemas['StaticFront'][];
}

const EMPTY: ReferenceData = { nationalities: [], warfareTypes: [], facilityTypes: [], staticFronts: [] };
let cached: Promise<ReferenceData> | null = null;

function load(): Promise<ReferenceData> {
  cached ??= Promise.all([
    call(api.GET('/api/v1/configurations/reference/nationalities')),
    call(api.GET('/api/v1/configurations/reference/warfare-types')),
    call(api.GET('/api/v1/configurations/reference/facility-types')),
    call(api.GET('/api/v1/configurations/reference/static-fronts')),
  ]).then(
    ([nationalities, warfareTypes, facilityTypes, staticFronts]) => ({
      nationalities: [...nationalities].sort((a, b) => a.name.localeCompare(b.name)),
      warfareTypes,
      facilityTypes,
      staticFronts,
    }),
    (error) => {
      cached = null;
      throw error;
    },
  );
  return cached;
}

export function useReference(): { data: ReferenceData; error: string | null } {
  const [data, setData] = useState<ReferenceData>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, []);
  return { data, error };
}
