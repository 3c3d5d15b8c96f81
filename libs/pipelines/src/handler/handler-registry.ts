import { PipelineError } from '../errors';
import type { StageHandler } from './stage-handler';

/** The handlers this process can run, by name; pipeline definitions refer to them. */
export class HandlerRegistry {
  private readonly handlers = new Map<string, StageHandler>();

  constructor(handlers: readonly StageHandler[] = []) {
    for (const handler of handlers) this.register(handler);
  }

  /** Refuses a second handler of the same name: which one ran would depend on load order. */
  register(handler: StageHandler): this {
    if (!handler.name) throw new PipelineError('HANDLER_NOT_FOUND', 'a handler needs a name');
    if (this.handlers.has(handler.name))
      throw new PipelineError(
        'HANDLER_ALREADY_REGISTERED',
        `handler "${handler.name}" is already registered`,
      );
    this.handlers.set(handler.name, handler);
    return this;
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  get(name: string): StageHandler {
    const handler = this.handlers.get(name);
    if (!handler) throw new PipelineError('HANDLER_NOT_FOUND', `no handler named "${name}" is registered`);
    return handler;
  }

  names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
