import { readFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ClipTokenizer, cleanText, frameTokens } from '../../src/core/clip/text-encoder'

const dir = path.join(import.meta.dirname, '../fixtures/clip-tiny')
const file = path.join(dir, 'tokenizer.json')
const vocab = (
  JSON.parse(readFileSync(file, 'utf8')) as { model: { vocab: Record<string, number> } }
).model.vocab

/** The id of a token string, looked up in the fixture's vocabulary (throws if absent). */
function id(token: string): number {
  const value = vocab[token]
  if (value === undefined)
    throw new Error(`token ${JSON.stringify(token)} not in the fixture vocabulary`)
  return value
}

describe('the fixture vocabulary follows CLIP’s layout', () => {
  it('puts the 256 byte symbols first, then the same with </w>, merges, then SOT and EOT', () => {
    // bytes_to_unicode order: printable '!'..'~' first, so '!' = 0 and 'a' (byte 97) = 97 − 33.
    expect(id('!')).toBe(0)
    expect(id('a')).toBe(64)
    expect(id('!</w>')).toBe(256)
    expect(id('a</w>')).toBe(320)
    const size = Object.keys(vocab).length
    expect(id('<|startoftext|>')).toBe(size - 2)
    expect(id('<|endoftext|>')).toBe(size - 1)
  })
})

describe(ClipTokenizer.name, () => {
  let tokenizer: ClipTokenizer
  let padded: ClipTokenizer
  beforeAll(async () => {
    tokenizer = await ClipTokenizer.load(file, null, 77, null)
    padded = await ClipTokenizer.load(
      file,
      path.join(dir, 'tokenizer_config.json'),
      77,
      '<|endoftext|>',
    )
  })

  // Expected tokens worked out by hand from the merges in tokenizer.json (BPE applies the
  // lowest-ranked merge first; a word's last symbol carries </w>), then mapped to ids via vocab.
  const cases: [string, string[]][] = [
    ['a photo of a dog', ['a</w>', 'photo</w>', 'of</w>', 'a</w>', 'dog</w>']],
    // Lower-cased; whitespace runs collapse.
    [
      'A  Photo of the RED car!',
      ['a</w>', 'photo</w>', 'of</w>', 'the</w>', 'red</w>', 'car</w>', '!</w>'],
    ],
    ['golden hour at the BEACH', ['golden</w>', 'hour</w>', 'at</w>', 'the</w>', 'beach</w>']],
    // "dogs" is not in the corpus: 'd o' merges, 'do g</w>' cannot (g is not last), so do|g|s</w>.
    // Punctuation runs are one pre-token; digits are one pre-token each.
    ['Sunset, 3 dogs!!', ['sunset</w>', ',</w>', '3</w>', 'do', 'g', 's</w>', '!', '!</w>']],
    // The 's contraction is its own pre-token; é is two UTF-8 bytes shown as Ã ©.
    [
      "the dog's café 2024",
      [
        'the</w>',
        'dog</w>',
        "'",
        's</w>',
        'ca',
        'f',
        'Ã',
        '©</w>',
        '2</w>',
        '0</w>',
        '2</w>',
        '4</w>',
      ],
    ],
    // Letters never merged in the corpus stay single bytes.
    ['zq xyz', ['z', 'q</w>', 'x', 'y', 'z</w>']],
    ['  people\tin\n the   city ', ['people</w>', 'in</w>', 'the</w>', 'city</w>']],
    // ☀️ (U+2600 U+FE0F) is 6 bytes; 0x98, 0x80, 0x8F map above U+0100 (ĺ Ģ ı).
    ['naïve ☀️', ['n', 'a', 'Ã', '¯', 'v', 'e</w>', 'â', 'ĺ', 'Ģ', 'ï', '¸', 'ı</w>']],
  ]

  it.each(cases)('tokenizes %j', (text, tokens) => {
    expect(tokenizer.tokens(text)).toEqual(tokens.map(id))
  })

  it('frames with SOT/EOT and pads to 77 with 0 (OpenAI) or the configured pad token', () => {
    const plain = tokenizer.encode('a photo of a dog')
    const body = ['a</w>', 'photo</w>', 'of</w>', 'a</w>', 'dog</w>'].map(id)
    expect(plain.ids).toHaveLength(77)
    expect(plain.ids.slice(0, 7)).toEqual([id('<|startoftext|>'), ...body, id('<|endoftext|>')])
    expect(plain.ids.slice(7)).toEqual(new Array(70).fill(0))
    expect(plain.mask).toEqual([...new Array(7).fill(1), ...new Array(70).fill(0)])
    const withPad = padded.encode('a photo of a dog')
    expect(withPad.ids.slice(7)).toEqual(new Array(70).fill(id('<|endoftext|>')))
  })

  it('truncates long text to 75 tokens and still ends with EOT', () => {
    const words = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 'dog' : 'cat')).join(' ')
    const { ids, mask } = tokenizer.encode(words)
    expect(ids).toHaveLength(77)
    expect(ids[0]).toBe(id('<|startoftext|>'))
    expect(ids[76]).toBe(id('<|endoftext|>'))
    expect(ids.slice(1, 5)).toEqual(['dog</w>', 'cat</w>', 'dog</w>', 'cat</w>'].map(id))
    expect(mask.every((m) => m === 1)).toBe(true)
  })

  it('lays a batch out row by row', () => {
    const batch = tokenizer.encodeBatch(['dog', 'a red car'])
    expect(batch.count).toBe(2)
    expect(Array.from(batch.ids.subarray(0, 3))).toEqual([
      id('<|startoftext|>'),
      id('dog</w>'),
      id('<|endoftext|>'),
    ])
    expect(Array.from(batch.ids.subarray(77, 82))).toEqual([
      id('<|startoftext|>'),
      id('a</w>'),
      id('red</w>'),
      id('car</w>'),
      id('<|endoftext|>'),
    ])
  })
})

describe(frameTokens.name, () => {
  it('pads short input, keeps EOT when truncating', () => {
    expect(frameTokens([5, 6], { sot: 1, eot: 2, pad: 0 }, 6)).toEqual({
      ids: [1, 5, 6, 2, 0, 0],
      mask: [1, 1, 1, 1, 0, 0],
    })
    expect(frameTokens([5, 6, 7, 8, 9], { sot: 1, eot: 2, pad: 0 }, 5).ids).toEqual([1, 5, 6, 7, 2])
  })
})

describe(cleanText.name, () => {
  it('collapses and trims whitespace', () => {
    expect(cleanText('  a\t\nb   c ')).toBe('a b c')
  })
})
