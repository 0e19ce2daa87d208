import type { VamEventName, VamEvents } from '../shared/contract'

type Listener<E extends VamEventName> = (payload: VamEvents[E]) => void

/** The engine's typed event bus; hosts forward it to their clients (IPC, WebSocket, CLI). */
export class EventHub {
  private readonly listeners = new Map<VamEventName, Set<Listener<VamEventName>>>()

  on<E extends VamEventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event)
    if (!set) {
      set = new Set()
      this.listeners.set(event, set)
    }
    set.add(listener as Listener<VamEventName>)
    return () => set.delete(listener as Listener<VamEventName>)
  }

  emit<E extends VamEventName>(event: E, payload: VamEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload)
      } catch {
        // A broken listener (closed socket, destroyed window) must not break the engine.
      }
    }
  }
}
