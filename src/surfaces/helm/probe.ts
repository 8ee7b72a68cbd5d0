import { execFile } from 'node:child_process';

export interface HelmProbe {
  available: boolean;
  /** Why helm cannot render (when not available). */
  reason: string;
  /** The helm command (`ROLLWRIGHT_HELM` or `helm` on PATH). */
  command: string;
}

let probe: Promise<HelmProbe> | undefined;

/** Whether `helm` runs here (`helm version --short`); asked once per process, shared by the helm and kustomize surfaces. */
export function probeHelm(): Promise<HelmProbe> {
  const command = process.env.ROLLWRIGHT_HELM || 'helm';
  return (probe ??= new Promise((resolve) => {
    execFile(command, ['version', '--short'], { timeout: 10_000, windowsHide: true }, (err) => {
      if (!err) resolve({ available: true, reason: '', command });
      else
        resolve({
          available: false,
          reason:
            (err as NodeJS.ErrnoException).code === 'ENOENT'
              ? 'helm is not installed'
              : `helm does not run (${err.message.split('\n')[0]})`,
          command,
        });
    });
  }));
}
