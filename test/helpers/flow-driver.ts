import { type AnyMachineSnapshot, createActor, type Snapshot } from "xstate";
import type { MainContext } from "../../src/flows/main-context.ts";
import {
  choicesOf,
  type FlowEvent,
  type FlowOutput,
  type InboundMessage,
  type OutboundMessage,
  textOf,
} from "../../src/flows/message.ts";
import { mainMachine } from "../../src/flows/registry.ts";

/**
 * Drives the main machine the way the engine does: every step restores the actor from a snapshot
 * that went through JSON.stringify/JSON.parse, sends one event, collects the emitted outputs, and
 * persists the snapshot again.
 */
export class FlowDriver {
  private snapshot: unknown = undefined;
  /** Outputs of the last step. */
  outputs: FlowOutput[] = [];

  send(event: FlowEvent): FlowOutput[] {
    const actor = this.snapshot
      ? createActor(mainMachine, { snapshot: this.snapshot as Snapshot<unknown> as never })
      : createActor(mainMachine);
    const outputs: FlowOutput[] = [];
    actor.on("*", (e) => outputs.push(e as FlowOutput));
    actor.start();
    actor.send(event);
    this.snapshot = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
    this.outputs = outputs;
    return outputs;
  }

  user(message: InboundMessage): FlowOutput[] {
    return this.send({ type: "user.message", message });
  }
  text(text: string): FlowOutput[] {
    return this.user({ type: "text", text });
  }
  choose(id: string): FlowOutput[] {
    return this.user({ type: "choice", id });
  }
  command(command: Extract<InboundMessage, { type: "command" }>["command"]): FlowOutput[] {
    return this.user({ type: "command", command });
  }

  get state(): AnyMachineSnapshot["value"] {
    return (this.snapshot as { value: AnyMachineSnapshot["value"] }).value;
  }
  get context(): MainContext {
    return (this.snapshot as { context: MainContext }).context;
  }
  /** The persisted snapshot as the engine would store it. */
  get persisted(): unknown {
    return this.snapshot;
  }

  /** Replies of the last step. */
  get replies(): OutboundMessage[] {
    return replies(this.outputs);
  }
  /** All reply texts of the last step, joined. */
  get said(): string {
    return this.replies.map((m) => textOf(m) ?? "[end]").join("\n---\n");
  }
  /** Choice ids offered in the last step. */
  get choiceIds(): string[] {
    return this.replies.flatMap((m) => (choicesOf(m) ?? []).map((c) => c.id));
  }
  /** Outputs of the last step that are not replies. */
  effects<T extends FlowOutput["type"]>(type: T): Extract<FlowOutput, { type: T }>[] {
    return this.outputs.filter((o): o is Extract<FlowOutput, { type: T }> => o.type === type);
  }

  /** First contact with /start and the language choice, ending at the menu. */
  static atMenu(lang: "id" | "en"): FlowDriver {
    const d = new FlowDriver();
    d.command("start");
    d.choose(`language:${lang}`);
    return d;
  }
}

export function replies(outputs: FlowOutput[]): OutboundMessage[] {
  return outputs.flatMap((o) => (o.type === "reply" ? [o.message] : []));
}
