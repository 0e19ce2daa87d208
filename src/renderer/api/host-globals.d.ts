/// <reference types="vite/client" />
import type { VamClient } from '../../shared/contract'
import type { VamHost } from '../../shared/contract/transport'

declare global {
  interface Window {
    /** The desktop app's API (Electron preload); absent in a browser, which uses the web host. */
    readonly vam?: VamClient
    /** Desktop-only helpers beside the API (dropped-file paths, reveal in folder); optional. */
    readonly vamHost?: Partial<VamHost>
  }
}

export {}
