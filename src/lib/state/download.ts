/** Saves a string as a file through a temporary object URL: no network, nothing leaves the device. */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked on the next task: Chromium starts the download from the URL asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
