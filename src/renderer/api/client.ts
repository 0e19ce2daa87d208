import type { VamClient } from '../../shared/contract'
import { createWebClient } from './web-client'

/** Which host the renderer runs in: the desktop app (preload API) or a browser (web host). */
export type HostKind = 'desktop' | 'browser'

export type ThumbSize = 256 | 1024

let client: VamClient | null = null
let token: string | null = null

/**
 * The browser host's token: from `?token=` on first load (then kept for this tab and removed from
 * the address bar so it is not shared by copy-paste), else from this tab's session storage; the
 * host also set an HttpOnly cookie, so a reload without either still works.
 */
function browserToken(): string | null {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem('vam-token', fromUrl)
    url.searchParams.delete('token')
    history.replaceState(history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem('vam-token')
}

export function hostKind(): HostKind {
  return window.vam ? 'desktop' : 'browser'
}

/** The API client. Stores call it; components never do. */
export function api(): VamClient {
  if (client) return client
  if (window.vam) {
    client = window.vam
  } else {
    token = browserToken()
    client = createWebClient(window.location.origin, token)
  }
  return client
}

/** Replaces the client (tests of stores run against an in-memory fake). */
export function setApiForTests(fake: VamClient | null): void {
  client = fake
}

/** URL of a catalog thumbnail: by photo id only, through the host's media route. */
export function mediaUrl(id: number, size: ThumbSize): string {
  if (window.vam) return `vam-media://thumb/${id}?size=${size}`
  api()
  const t = token ? `&token=${encodeURIComponent(token)}` : ''
  return `/media/thumb/${id}?size=${size}${t}`
}

/** URL of a photo's original (or its 1024 px preview when the browser cannot decode the format). */
export function originalUrl(id: number): string {
  if (window.vam) return `vam-media://original/${id}`
  api()
  const t = token ? `?token=${encodeURIComponent(token)}` : ''
  return `/media/original/${id}${t}`
}

/** The OS folder picker when the host has one (desktop); null when absent or cancelled. */
export async function pickFolder(title: string): Promise<string | null> {
  const pick = window.vamHost?.pickFolder
  return pick ? pick({ title }) : null
}

/** Whether the host can show an OS folder picker. */
export function canPickFolder(): boolean {
  return typeof window.vamHost?.pickFolder === 'function'
}

/** The filesystem path of a dropped folder, when the host can tell (desktop only). */
export function pathForDroppedFile(file: File): string | null {
  try {
    const p = window.vamHost?.pathForFile?.(file)
    return p ? p : null
  } catch {
    return null
  }
}
