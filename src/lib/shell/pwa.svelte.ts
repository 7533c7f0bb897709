/**
 * Service-worker registration and its two notices: "ready to work offline" (first install) and
 * "update available" (a new version waits; reloading activates it).
 */
import { registerSW } from 'virtual:pwa-register';

export class PwaStatus {
  offlineReady = $state(false);
  needRefresh = $state(false);
  #update?: (reload?: boolean) => Promise<void>;

  register(): void {
    if (!('serviceWorker' in navigator)) return;
    this.#update = registerSW({
      immediate: true,
      onOfflineReady: () => (this.offlineReady = true),
      onNeedRefresh: () => (this.needRefresh = true),
      onRegisterError: (e: unknown) => console.warn('service worker registration failed', e),
    });
  }

  async update(): Promise<void> {
    await this.#update?.(true);
  }

  dismiss(): void {
    this.offlineReady = false;
    this.needRefresh = false;
  }
}
