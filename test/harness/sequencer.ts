import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The default order, except that the suite-wide secret scan runs after everything else. */
export class SecretScanLastSequencer extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isScan = (f: TestSpecification) => f.moduleId.endsWith("test/system/secret-scan.test.ts");
    return [...sorted.filter((f) => !isScan(f)), ...sorted.filter(isScan)];
  }
}
