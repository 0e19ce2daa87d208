import type { ThumbnailResolver } from './media'

/**
 * Where the analyze stage keeps a photo's thumbnail. Until that stage lands there are none and
 * every thumbnail request is a 404 (the grid shows its placeholder).
 */
export const resolveThumbnail: ThumbnailResolver = () => null
