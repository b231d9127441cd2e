import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApplyToDisburse } from '../../local/render-workflow.js';
import { WAITS } from '../../shared/domain/policy/waits.js';
import { render, resourcesOfType, synthApp } from './support/synth.js';

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Retry?: unknown[];
  TimeoutSeconds?: number;
}
interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

/** The states that pause for a person or the disbursement worker, and how long each waits. */
const CALLBACK_WAITS: Record<string, number> = {
  RequestReview: WAITS.REVIEW.seconds,
  MakeOffer: WAITS.OFFER.seconds,
  RequestSignature: WAITS.SIGNATURE.seconds,
  Disburse: WAITS.DISBURSEMENT.seconds,
};

let definition: Definition;

beforeAll(() => {
  const app = synthApp();
  const machines = resourcesOfType(app.templates.service, 'AWS::StepFunctions::StateMachine');
  expect(machines).toHaveLength(1);
  const [, machine] = machines[0] ?? [];
  definition = JSON.parse(
    render(machine?.Properties.DefinitionString, app, app.service.stackName),
  ) as Definition;
});

const transitions = (state: State): string[] => [
  ...(state.Next ? [state.Next] : []),
  ...(state.Choices ?? []).map((choice) => choice.Next),
  ...(state.Default ? [state.Default] : []),
  ...(state.Catch ?? []).map((handler) => handler.Next),
];

const tasks = () => Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');

describe('apply-to-disburse definition', () => {
  it('is valid Amazon States Language', () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it('retries every task and catches its failures into RecordFailure', () => {
    for (const [name, state] of tasks()) {
      expect(state.Retry?.length, `${name} Retry`).toBeGreaterThan(0);
      const catchAll = state.Catch?.find((handler) => handler.ErrorEquals.includes('States.ALL'));
      expect(catchAll?.Next, `${name} Catch`).toBe(
        name === 'RecordFailure' ? 'ApplicationFailed' : 'RecordFailure',
      );
    }
  });

  it('ends every path from StartAt in a Succeed state or ApplicationFailed', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const walk = (name: string, path: string[]): void => {
      const state = definition.States[name];
      expect(state, `${path.join(' -> ')} -> ${name} exists`).toBeDefined();
      if (!state || done.has(name)) return;
      // A cycle would be a path that never ends.
      expect(visiting.has(name), `cycle through ${name}`).toBe(false);
      visiting.add(name);
      const next = transitions(state);
      if (next.length === 0) {
        const terminal = state.Type === 'Succeed' || (state.Type === 'Fail' && name === 'ApplicationFailed');
        expect(terminal, `${[...path, name].join(' -> ')} ends in a ${state.Type}`).toBe(true);
      }
      expect(state.End ?? false, `${name} ends the execution without Succeed`).toBe(false);
      for (const target of next) walk(target, [...path, name]);
      visiting.delete(name);
      done.add(name);
    };
    walk(definition.StartAt, []);
    expect(done.size, 'every state is reachable').toBe(Object.keys(definition.States).length);
  });

  it('waits for callbacks with a task token, for exactly the time WAITS allows', () => {
    const callbacks = Object.fromEntries(
      tasks()
        .filter(([, state]) => state.Resource?.endsWith('.waitForTaskToken'))
        .map(([name, state]) => [name, state.TimeoutSeconds]),
    );
    expect(callbacks).toEqual(CALLBACK_WAITS);
  });

  it('has the states the local runtime renders, with the same types and transitions', () => {
    const local = renderApplyToDisburse() as unknown as Definition;
    expect(Object.keys(definition.States).sort()).toEqual(Object.keys(local.States).sort());
    expect(definition.StartAt).toBe(local.StartAt);
    for (const [name, state] of Object.entries(definition.States)) {
      const twin = local.States[name];
      expect({ type: twin?.Type, next: twin && transitions(twin) }, name).toEqual({
        type: state.Type,
        next: transitions(state),
      });
    }
  });
});
