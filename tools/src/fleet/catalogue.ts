/**
 * The program's instance catalogue (components/compute-group/instance-catalogue.ts), loaded from the
 * project's TypeScript at run time: the CLI is compiled on its own (rootDir tools/src) and cannot
 * import components/, and a copy would drift. The vCPUs and network cards the fleet checks count are
 * the figures the program lays its compute groups out with.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the catalogue is loaded from the project at run time */
import * as path from "path";
import type { ProjectFile } from "../plan/project";
import { registerTypeScript } from "../plan/ts-loader";
import type { Catalogue } from "./usage";

interface CatalogueModule {
  lookupInstanceType(instanceType: string): { vcpus: number; networkCards: number } | undefined;
}

/** The project's instance catalogue as a lookup. */
export function loadCatalogue(project: ProjectFile): Catalogue {
  // Only for this require: a test runner's own TypeScript hook is back in place afterwards.
  const unregister = registerTypeScript(project.root);
  let catalogue: CatalogueModule;
  try {
    catalogue = require(path.join(project.root, "components", "compute-group", "instance-catalogue"));
  } finally {
    unregister();
  }
  return (instanceType) => {
    const spec = catalogue.lookupInstanceType(instanceType);
    return spec && { vcpus: spec.vcpus, networkCards: spec.networkCards };
  };
}
