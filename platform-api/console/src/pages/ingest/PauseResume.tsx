import { enc, post } from '../../api';
import { ScopedButton } from '../../ui';

/** How often the ingest pages refresh a mapping's figures. */
export const REFRESH_MS = 2000;

/** Pauses a running mapping, resumes a paused one (write scope); `onDone` reloads the page's data. */
export function PauseResume({ name, paused, onDone }: { name: string; paused: boolean; onDone: () => void }) {
  return paused ? (
    <ScopedButton need="write" onClick={async () => (await post(`/api/v1/ingest/mappings/${enc(name)}/resume`), onDone())}>
      Resume
    </ScopedButton>
  ) : (
    <ScopedButton need="write" onClick={async () => (await post(`/api/v1/ingest/mappings/${enc(name)}/pause`), onDone())}>
      Pause
    </ScopedButton>
  );
}
