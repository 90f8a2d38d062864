import { describe, expect, it } from "vitest";
import { evaluate, nextStep, type RequirementNode } from "./requirements";

const node = (id: string, fields: Partial<RequirementNode> = {}): RequirementNode => ({
  id,
  stepId: id === "root" ? null : id,
  name: id,
  description: "",
  junction: "all",
  requiredCount: null,
  completionBadgeClassId: null,
  badgeClassIds: [],
  children: [],
  ...fields,
});

describe("requirement junctions", () => {
  it("all of: met only when every badge and child step is met", () => {
    const tree = node("root", { badgeClassIds: ["a", "b"], children: [node("s", { badgeClassIds: ["c"] })] });
    expect(evaluate(tree, new Set(["a", "b"])).met).toBe(false);
    expect(evaluate(tree, new Set(["a", "c"]))).toMatchObject({ met: false, done: 2, required: 3 });
    expect(evaluate(tree, new Set(["a", "b", "c"]))).toMatchObject({ met: true, done: 3, required: 3 });
  });

  it("at least N of: met by any N items, and names the first N as its witnesses", () => {
    const tree = node("root", { junction: "at-least", requiredCount: 2, badgeClassIds: ["a", "b", "c"] });
    expect(evaluate(tree, new Set(["c"]))).toMatchObject({ met: false, done: 1, required: 2, witnesses: [] });
    expect(evaluate(tree, new Set(["c", "a"]))).toMatchObject({ met: true, witnesses: ["a", "c"] });
    expect(evaluate(tree, new Set(["a", "b", "c"])).witnesses).toEqual(["a", "b"]);
  });

  it("nests: a child step counts as one item of its parent, met by its own junction", () => {
    const tree = node("root", {
      junction: "at-least",
      requiredCount: 1,
      children: [
        node("s1", { badgeClassIds: ["a", "b"] }),
        node("s2", {
          junction: "at-least",
          requiredCount: 2,
          children: [node("s21", { badgeClassIds: ["c"] }), node("s22", { badgeClassIds: ["d"] })],
        }),
      ],
    });
    expect(evaluate(tree, new Set(["a", "c"])).met).toBe(false);
    const viaS2 = evaluate(tree, new Set(["c", "d"]));
    expect(viaS2).toMatchObject({ met: true, done: 1, required: 1, witnesses: ["c", "d"] });
    expect(viaS2.children.map((c) => c.met)).toEqual([false, true]);
  });

  it("never meets an empty step, and N is capped at the items there are", () => {
    expect(evaluate(node("root"), new Set(["a"])).met).toBe(false);
    expect(evaluate(node("root", { junction: "at-least", requiredCount: 5, badgeClassIds: ["a"] }), new Set(["a"])).met).toBe(true);
  });

  it("says what is next: the deepest first step not met", () => {
    const tree = node("root", {
      children: [
        node("s1", { badgeClassIds: ["a"] }),
        node("s2", { children: [node("s21", { badgeClassIds: ["b"] }), node("s22", { badgeClassIds: ["c"] })] }),
      ],
    });
    expect(nextStep(evaluate(tree, new Set(["a", "c"])))?.node.id).toBe("s21");
    expect(nextStep(evaluate(tree, new Set(["a", "b", "c"])))).toBeNull();
  });
});
