// electron-vite's import suffixes (`?modulePath` for the utility-process worker entry) and
// `process.env.ELECTRON_RENDERER_URL` in development.
/// <reference types="electron-vite/node" />
