import { PipelineError } from '../errors';
import { AnyStageHandler, BatchStageHandler, isBatchHandler, StageHandler } from './stage-handler';

/** The handlers (single-event or batch) this process can run, by name; pipeline definitions refer to them. */
export class HandlerRegistry {
  private readonly handlers = new Map<string, AnyStageHandler>();

  constructor(handlers: readonly AnyStageHandler[] = []) {
    for (const handler of handlers) this.register(handler);
  }

  /** Refuses a second handler of the same name: which one ran would depend on load order. */
  register(handler: AnyStageHandler): this {
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

  /** The handler as registered (a stage runner batches events for a BatchStageHandler). */
  resolve(name: string): AnyStageHandler {
    const handler = this.handlers.get(name);
    if (!handler) throw new PipelineError('HANDLER_NOT_FOUND', `no handler named "${name}" is registered`);
    return handler;
  }

  /** The handler as a single-event StageHandler (a batch handler is called with batches of one). */
  get(name: string): StageHandler {
    const handler = this.resolve(name);
    return isBatchHandler(handler) ? oneAtATime(handler) : handler;
  }

  names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}

function oneAtATime(handler: BatchStageHandler): StageHandler {
  return {
    name: handler.name,
    handle: async (event, context) => {
      const [result] = await handler.handleBatch([event], context);
      if (result instanceof Error) throw result;
      if (!Array.isArray(result))
        throw new PipelineError('BATCH_RESULT_MISMATCH', `handler "${handler.name}" returned no result`, {
          retriable: true,
        });
      return result;
    },
  };
}
