import { readFileSync } from 'node:fs'
import type { PhotoFilter } from '../../shared/contract/photos'
import {
  TaxonomySchema,
  searchContract,
  type ClipModelInfo,
  type SearchResult,
  type Taxonomy,
  type TagsInfo,
} from '../../shared/contract/search'
import { DEFAULT_TAXONOMY } from '../../core/clip/tags'
import { UsageError, numberOption, requiredPositional, stringOption } from '../args'
import type { CliCommand, CliContext } from '../command'

/** Kept short in the usage line: the help table is as wide as its longest usage. */
const FILTER_USAGE = '[filters]'
const FILTER_HELP =
  'filters: --folder DIR --camera NAME --from DATE --to DATE --tag TAG --name TEXT'

/** The grid filters a search can be combined with, from `--folder`, `--camera`, `--from`, … */
export function filterFromArgs(ctx: CliContext): PhotoFilter | undefined {
  const filter: PhotoFilter = {
    folder: stringOption(ctx.args, 'folder'),
    camera: stringOption(ctx.args, 'camera'),
    dateFrom: stringOption(ctx.args, 'from'),
    dateTo: stringOption(ctx.args, 'to'),
    tag: stringOption(ctx.args, 'tag'),
    text: stringOption(ctx.args, 'name'),
  }
  return Object.values(filter).some((v) => v !== undefined) ? filter : undefined
}

/** Validates with the contract's schema so the CLI refuses exactly what every host refuses. */
function parseInput<T>(
  schema: {
    safeParse(v: unknown): {
      success: boolean
      data?: T
      error?: { issues: { path: PropertyKey[]; message: string }[] }
    }
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    throw new UsageError(
      parsed.error?.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') ??
        'invalid input',
    )
  }
  return parsed.data as T
}

function printResult(ctx: CliContext, result: SearchResult): void {
  if (ctx.json) {
    ctx.printJson(result)
    return
  }
  if (result.hits.length === 0) {
    ctx.out(
      result.candidates === 0
        ? 'no matches: no photo here has a vector of this model yet (run `vam run clip`)'
        : 'no matches',
    )
  }
  for (const { photo, score } of result.hits) {
    ctx.out(
      `${score.toFixed(3)}  #${photo.id}  ${photo.path}${photo.takenAt ? `  (${photo.takenAt.slice(0, 10)})` : ''}`,
    )
  }
  ctx.err(
    `${result.hits.length} of ${result.candidates} photos · search ${result.searchMs.toFixed(1)} ms` +
      (result.encodeMs > 0 ? ` · text encoder ${result.encodeMs.toFixed(1)} ms` : '') +
      ` · model ${result.modelId}`,
  )
}

function printModel(ctx: CliContext, info: ClipModelInfo | null): void {
  if (ctx.json) {
    ctx.printJson(info)
    return
  }
  if (!info) {
    ctx.out('no CLIP model set: vam model set DIR (see docs/clip.md for where to get one)')
    return
  }
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
  ctx.out(`model     ${info.name}`)
  ctx.out(`id        ${info.modelId}`)
  ctx.out(`folder    ${info.dir} (${info.layout} layout)`)
  ctx.out(`vectors   ${info.dim}-d; images ${info.imageSize} px; text ${info.contextLength} tokens`)
  ctx.out(`mean/std  ${info.mean.join(', ')} / ${info.std.join(', ')}`)
  for (const f of info.files) ctx.out(`file      ${f.role.padEnd(16)} ${f.path} (${mb(f.bytes)})`)
  ctx.out(
    `embedded  ${info.embedded} of ${info.photos} photos${info.embedded < info.photos ? ' (run `vam run clip`)' : ''}`,
  )
  if (info.stale > 0)
    ctx.out(`stale     ${info.stale} vectors of earlier models (kept, never mixed in searches)`)
}

function printTags(ctx: CliContext, info: TagsInfo): void {
  if (ctx.json) {
    ctx.printJson(info)
    return
  }
  const counts = new Map(info.counts.map((c) => [`${c.category}\0${c.tag}`, c.count]))
  ctx.out(`template "${info.taxonomy.template}", min confidence ${info.taxonomy.minConfidence}`)
  for (const category of info.taxonomy.categories) {
    const tags = category.tags.map((t) => {
      const n = counts.get(`${category.name}\0${t}`)
      return n ? `${t} (${n})` : t
    })
    ctx.out(
      `${category.name}${category.template ? ` ["${category.template}"]` : ''}: ${tags.join(', ')}`,
    )
  }
  if (!info.modelId)
    ctx.err('no CLIP model set: tags are computed by `vam run clip` once a model is set')
}

async function setTaxonomy(ctx: CliContext, taxonomy: Taxonomy): Promise<number> {
  const parsed = parseInput<Taxonomy>(TaxonomySchema, taxonomy)
  printTags(ctx, await (await ctx.service()).search.setTags({ taxonomy: parsed }))
  return 0
}

async function currentTaxonomy(ctx: CliContext): Promise<Taxonomy> {
  return (await (await ctx.service()).search.tags({})).taxonomy
}

export const clipCommands: CliCommand[] = [
  {
    name: 'model set',
    usage: 'vam model set DIR [--json]',
    summary: 'validate a CLIP model folder (ONNX encoders + tokenizer.json) and make it active',
    async run(ctx) {
      const dir = requiredPositional(
        ctx.args,
        2,
        'which folder? e.g. `vam model set ~/models/clip-vit-base-patch32`',
      )
      printModel(ctx, await (await ctx.service()).search.setModel({ dir }))
      return 0
    },
  },
  {
    name: 'model show',
    usage: 'vam model show [--json]',
    summary: 'the active CLIP model and how much of the library it has embedded',
    async run(ctx) {
      printModel(ctx, await (await ctx.service()).search.model({}))
      return 0
    },
  },
  {
    name: 'search',
    usage: `vam search "TEXT" [--limit N] [--json] ${FILTER_USAGE}`,
    summary: `photos matching a description (CLIP), best first with scores; ${FILTER_HELP}`,
    async run(ctx) {
      const query = ctx.args.positionals.slice(1).join(' ')
      if (!query) throw new UsageError('what to search for? e.g. `vam search "dog on a beach"`')
      const input = parseInput<{ query: string; limit?: number; filter?: PhotoFilter }>(
        searchContract.text.input,
        {
          query,
          limit: numberOption(ctx.args, 'limit'),
          filter: filterFromArgs(ctx),
        },
      )
      printResult(ctx, await (await ctx.service()).search.text(input))
      return 0
    },
  },
  {
    name: 'similar',
    usage: `vam similar ID [--limit N] [--json] ${FILTER_USAGE}`,
    summary: 'photos that look like photo ID ("more like this"); the same filters',
    async run(ctx) {
      const input = parseInput<{ photoId: number; limit?: number; filter?: PhotoFilter }>(
        searchContract.similar.input,
        {
          photoId: Number(ctx.args.positionals[1]),
          limit: numberOption(ctx.args, 'limit'),
          filter: filterFromArgs(ctx),
        },
      )
      printResult(ctx, await (await ctx.service()).search.similar(input))
      return 0
    },
  },
  {
    name: 'tags',
    usage: 'vam tags [--json]',
    summary: 'the zero-shot tag taxonomy with photo counts',
    async run(ctx) {
      printTags(ctx, await (await ctx.service()).search.tags({}))
      return 0
    },
  },
  {
    name: 'tags add',
    usage: 'vam tags add CATEGORY TAG... [--template "a photo of {tag}"]',
    summary: 'add tags to a category (created if new) and re-score stored photos',
    async run(ctx) {
      const [category, ...tags] = ctx.args.positionals.slice(2)
      if (!category || tags.length === 0)
        throw new UsageError('expected a category and at least one tag')
      const taxonomy = await currentTaxonomy(ctx)
      const template = stringOption(ctx.args, 'template')
      const existing = taxonomy.categories.find((c) => c.name === category)
      const categories = existing
        ? taxonomy.categories.map((c) =>
            c === existing
              ? {
                  ...c,
                  tags: [...new Set([...c.tags, ...tags])],
                  ...(template ? { template } : {}),
                }
              : c,
          )
        : [...taxonomy.categories, { name: category, tags, ...(template ? { template } : {}) }]
      return setTaxonomy(ctx, { ...taxonomy, categories })
    },
  },
  {
    name: 'tags remove',
    usage: 'vam tags remove TAG...',
    summary: 'remove tags (a category left empty is removed) and re-score stored photos',
    async run(ctx) {
      const remove = new Set(ctx.args.positionals.slice(2))
      if (remove.size === 0) throw new UsageError('which tags?')
      const taxonomy = await currentTaxonomy(ctx)
      const categories = taxonomy.categories
        .map((c) => ({ ...c, tags: c.tags.filter((t) => !remove.has(t)) }))
        .filter((c) => c.tags.length > 0)
      return setTaxonomy(ctx, { ...taxonomy, categories })
    },
  },
  {
    name: 'tags set',
    usage: 'vam tags set FILE.json',
    summary:
      'replace the taxonomy with a JSON file ({template, minConfidence, categories: [{name, tags}]})',
    async run(ctx) {
      const file = requiredPositional(
        ctx.args,
        2,
        'expected a JSON file (see `vam tags --json` for the format)',
      )
      let json: unknown
      try {
        json = JSON.parse(readFileSync(file, 'utf8'))
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as Error).message}`)
      }
      // `vam tags --json` output is accepted as is.
      const taxonomy = (json as { taxonomy?: unknown }).taxonomy ?? json
      return setTaxonomy(ctx, taxonomy as Taxonomy)
    },
  },
  {
    name: 'tags reset',
    usage: 'vam tags reset',
    summary: 'restore the default taxonomy and re-score stored photos',
    async run(ctx) {
      return setTaxonomy(ctx, DEFAULT_TAXONOMY)
    },
  },
]
