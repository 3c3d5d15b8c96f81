import { path } from './api';
import { h } from './dom';
import { describeError, PageContext } from './page';

/**
 * A button that downloads a dataset part or a model artifact by its `s3://` URI through the API
 * (`GET /admin/artifacts`), saved under the name the API gives it.
 */
export function artifactDownload({ session, notify }: PageContext, uri: string, label: string): HTMLElement {
  const save = async (): Promise<void> => {
    try {
      const { blob, fileName } = await session.api.download(path`/admin/artifacts?uri=${uri}`);
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: fileName, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked once the download surely has the blob: revoking at once can cancel it.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      notify(`Downloaded ${fileName}.`);
    } catch (error) {
      notify(describeError(error), 'error');
    }
  };
  return h(
    'button',
    { type: 'button', 'aria-label': `Download ${label}`, onclick: () => void save() },
    'Download',
  );
}
