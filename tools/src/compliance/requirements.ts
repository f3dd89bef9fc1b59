/**
 * Reads the requirement catalogue (../shared/REQUIREMENTS.md) and its source documents
 * (../shared/seeds/README.md), the two ends of the traceability chain ID -> policy -> test (POL-1).
 */
import * as fs from "fs";
import * as path from "path";

/** One requirement of the catalogue. */
export interface Requirement {
  /** Stable ID, e.g. "NET-6". */
  readonly id: string;
  /** The ID's prefix, e.g. "NET". */
  readonly domain: string;
  /** The requirement's name: its text up to the first ":", ";" or sentence end. */
  readonly title: string;
  /** The whole requirement, on one line, without the source references. */
  readonly text: string;
  /** Source references in catalogue order, e.g. ["[000]", "[002]"]. */
  readonly sources: string[];
}

/** One source document of seeds/README.md. */
export interface SourceDocument {
  /** Reference as the catalogue writes it, e.g. "[001]". */
  readonly ref: string;
  /** File name in seeds/. */
  readonly file: string;
  /** Short title: the description up to its first colon. */
  readonly title: string;
}

/** A domain heading of the catalogue, e.g. "NET" / "network and firewall". */
export interface Domain {
  readonly prefix: string;
  readonly title: string;
}

/** The catalogue and its sources, as read from disk. */
export interface Catalogue {
  readonly domains: Domain[];
  readonly requirements: Requirement[];
  readonly sources: SourceDocument[];
}

const ITEM = /^- ((?:[A-Z0-9]+)-\d+) (.*)$/;
const SOURCES = /((?:\s*\[\d{3}\])+)\s*$/;

/**
 * The "shared" folder beside the repository, where CI clones it. A scratch project (tools/src/plan/
 * scratch.ts) links to the real project's Pulumi.yaml, so it finds the same folder.
 */
export function sharedDir(root: string): string {
  const project = path.join(root, "Pulumi.yaml");
  const real = fs.existsSync(project) ? path.dirname(fs.realpathSync(project)) : root;
  return path.resolve(real, "..", "shared");
}

/**
 * Parses the catalogue's list items: an item starts with "- <ID> " and runs until the next item,
 * heading or blank line. Throws on a duplicate ID, which would make traceability ambiguous.
 */
export function parseRequirements(markdown: string): Requirement[] {
  const items: { id: string; lines: string[] }[] = [];
  let open: { id: string; lines: string[] } | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const start = ITEM.exec(line);
    if (start) {
      open = { id: start[1], lines: [start[2]] };
      items.push(open);
    } else if (open && /^\s+\S/.test(line)) {
      open.lines.push(line.trim());
    } else {
      open = undefined;
    }
  }
  const seen = new Set<string>();
  return items.map(({ id, lines }) => {
    if (seen.has(id)) {
      throw new Error(`REQUIREMENTS.md: ${id} is listed twice; every requirement needs its own ID`);
    }
    seen.add(id);
    const whole = lines.join(" ").replace(/\s+/g, " ").trim();
    const refs = SOURCES.exec(whole);
    const text = refs ? whole.slice(0, refs.index).trim() : whole;
    return {
      id,
      domain: id.split("-")[0],
      title: titleOf(text),
      text,
      sources: refs ? (refs[1].match(/\[\d{3}\]/g) ?? []) : [],
    };
  });
}

// The title ends at the first ":", ";" or "." followed by a space, outside parentheses, so that
// "rotate automatically (at most every 365 days; 90 by default)" stays whole.
function titleOf(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === ":" || c === ";" || c === ".") && /\s/.test(text[i + 1] ?? " ")) {
      return text.slice(0, i).trim();
    }
  }
  return text.replace(/\.$/, "").trim();
}

/** Parses the catalogue's domain headings: `## NET: network and firewall`. */
export function parseDomains(markdown: string): Domain[] {
  return [...markdown.matchAll(/^## ([A-Z0-9]+): (.+)$/gm)].map((m) => ({
    prefix: m[1],
    title: m[2].trim(),
  }));
}

/** Parses the seeds/README.md table: `| 001_<hash>.txt | <title>: <description> |`. */
export function parseSources(markdown: string): SourceDocument[] {
  const sources: SourceDocument[] = [];
  for (const line of markdown.split(/\r?\n/)) {
    const row = /^\|\s*((\d{3})_[^|\s]*)\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (row) {
      const description = row[3];
      const colon = description.indexOf(":");
      sources.push({
        ref: `[${row[2]}]`,
        file: row[1],
        title: (colon >= 0 ? description.slice(0, colon) : description).trim(),
      });
    }
  }
  return sources.sort((a, b) => a.ref.localeCompare(b.ref));
}

/** Reads REQUIREMENTS.md and seeds/README.md from `<root>/../shared`. */
export function readCatalogue(root: string): Catalogue {
  const shared = sharedDir(root);
  const read = (rel: string) => {
    const file = path.join(shared, rel);
    if (!fs.existsSync(file)) {
      throw new Error(`${file} not found: clone the shared folder beside the repository (../shared)`);
    }
    return fs.readFileSync(file, "utf8");
  };
  const catalogue = read("REQUIREMENTS.md");
  return {
    domains: parseDomains(catalogue),
    requirements: parseRequirements(catalogue),
    sources: parseSources(read(path.join("seeds", "README.md"))),
  };
}
