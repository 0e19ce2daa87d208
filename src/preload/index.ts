import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { EVENT_CHANNEL } from '../shared/contract/transport'
import { buildVamClient, buildVamHost, type PreloadTransport } from './vam-client'

// Sandboxed preload (bundled as CommonJS: a sandboxed preload cannot be an ES module and can
// require nothing but 'electron'). It exposes the contract and the host calls — never
// ipcRenderer itself, never a generic "send anything" function.
const transport: PreloadTransport = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  subscribe: (listener) => {
    ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => listener(message))
  },
}

contextBridge.exposeInMainWorld('vam', buildVamClient(transport))
contextBridge.exposeInMainWorld(
  'vamHost',
  buildVamHost(transport, (file) => webUtils.getPathForFile(file), process.platform),
)
