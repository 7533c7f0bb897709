/** A dataset's name without its extension and with characters file systems refuse replaced: the start of export file names. */
export function exportBaseName(datasetName: string): string {
  return datasetName.replace(/\.[^.]+$/, '').replace(/[\\/:*?"<>|\s]+/g, '_');
}

/** Saves a string as a file through a temporary object URL: no network, nothing leaves the device. */
export function downloadText(name: string, text: string, type: string): void {
  downloadBlob(name, new Blob([text], { type }));
}

/** Saves a Blob (e.g. an .xlsx file) the same way. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked on the next task: Chromium starts the download from the URL asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
