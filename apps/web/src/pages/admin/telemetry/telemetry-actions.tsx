import { useState } from 'react';
import { messageOf } from '../../../api/errors';
import { TELEMETRY_EXPORT_PATH, useCollectNow, useUploadNow } from '../../../api/telemetry';
import type { UploadOutcome } from '../../../api/telemetry-types';
import { DownloadIcon } from '../../../components/icons';
import { collectSentence, uploadSentence } from './wording';

type Tone = 'progress' | 'success' | 'caution' | 'error';

const UPLOAD_TONES: Record<UploadOutcome, Tone> = {
  uploaded: 'success',
  checked_in: 'success',
  no_admin_email: 'caution',
  aborted: 'caution',
  failed: 'error',
};

/**
 * "Collect now", "Upload now" and "Download payload", with a status line that says what happened.
 * Both actions go through the one sender, one at a time, so both buttons wait while either runs.
 */
export function TelemetryActions() {
  const collect = useCollectNow();
  const upload = useUploadNow();
  const [status, setStatus] = useState<{ tone: Tone; text: string } | null>(null);
  const busy = collect.isPending || upload.isPending;

  const collectNow = () => {
    setStatus({ tone: 'progress', text: 'Collecting metrics…' });
    collect.mutate(undefined, {
      onSuccess: ({ batch }) => setStatus({ tone: 'success', text: collectSentence(batch, new Date()) }),
      onError: (error) => setStatus({ tone: 'error', text: `Collecting failed. ${messageOf(error)}` }),
    });
  };
  const uploadNow = () => {
    setStatus({ tone: 'progress', text: 'Uploading to the vendor…' });
    upload.mutate(undefined, {
      onSuccess: ({ upload: report }) => {
        const tone =
          report.checkIn === 'failed' && UPLOAD_TONES[report.outcome] === 'success'
            ? 'caution'
            : UPLOAD_TONES[report.outcome];
        setStatus({ tone: tone ?? 'caution', text: uploadSentence(report, new Date()) });
      },
      onError: (error) => setStatus({ tone: 'error', text: `The upload could not be started. ${messageOf(error)}` }),
    });
  };

  return (
    <div className="telemetry-actions">
      <div className="telemetry-actions__buttons">
        <button type="button" className="button button--primary" disabled={busy} onClick={collectNow}>
          {collect.isPending ? 'Collecting…' : 'Collect now'}
        </button>
        <button type="button" className="button button--secondary" disabled={busy} onClick={uploadNow}>
          {upload.isPending ? 'Uploading…' : 'Upload now'}
        </button>
        <a className="button button--ghost" href={TELEMETRY_EXPORT_PATH} download>
          <DownloadIcon />
          Download payload
        </a>
      </div>
      <p className={`action-status${status ? ` action-status--${status.tone}` : ''}`} role="status">
        {status?.text ?? ''}
      </p>
    </div>
  );
}
