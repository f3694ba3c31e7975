import { useId, useState } from 'react';
import { messageOf } from '../../../api/errors';
import { useTelemetryBatch } from '../../../api/telemetry';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * A request body exactly as it goes over the wire, pretty-printed, with a button that copies it
 * (for a support ticket or a diff against the vendor's portal).
 */
export function RawJson({ value, label }: { value: unknown; label: string }) {
  return (
    <details className="raw-json">
      <summary className="raw-json__summary">Raw JSON</summary>
      <RawJsonBody value={value} label={label} />
    </details>
  );
}

/**
 * A stored batch's request body, asked of the server only once the admin opens it (the list
 * shows twenty batches; nobody wants twenty payloads fetched up front).
 */
export function BatchRawJson({ batchId, label }: { batchId: string; label: string }) {
  const [open, setOpen] = useState(false);
  const batch = useTelemetryBatch(batchId, open);
  return (
    <details className="raw-json" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="raw-json__summary">Raw JSON</summary>
      {batch.data ? <RawJsonBody value={{ data: batch.data.data }} label={label} /> : null}
      {batch.isPending && open ? <p className="muted">Loading the batch…</p> : null}
      {batch.isError ? <p className="facts__warning">The batch could not be loaded. {messageOf(batch.error)}</p> : null}
    </details>
  );
}

function RawJsonBody({ value, label }: { value: unknown; label: string }) {
  const text = JSON.stringify(value, null, 2);
  const [copy, setCopy] = useState<CopyState>('idle');
  const id = useId();

  async function copyText() {
    try {
      await navigator.clipboard.writeText(text);
      setCopy('copied');
    } catch {
      // No clipboard (plain http, or permission refused): the text stays selectable.
      setCopy('failed');
    }
  }

  return (
    <>
      <div className="raw-json__toolbar">
        <button type="button" className="button button--ghost button--small" onClick={() => void copyText()}>
          Copy JSON
        </button>
        <span aria-live="polite" className="raw-json__status">
          {copy === 'copied' ? 'Copied.' : copy === 'failed' ? 'Could not copy: select the text instead.' : ''}
        </span>
      </div>
      <figure className="raw-json__figure" aria-labelledby={id}>
        <figcaption id={id} className="visually-hidden">
          {label}
        </figcaption>
        <pre className="raw-json__text">{text}</pre>
      </figure>
    </>
  );
}
