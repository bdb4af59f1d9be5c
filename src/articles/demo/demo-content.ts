import type { WriterInput } from '../article-input';

/** The demo newsroom's sections: slug, name, parent slug. */
export const DEMO_SECTIONS: { slug: string; name: string; parent: string | null; description: string }[] = [
  { slug: 'home', name: 'Home', parent: null, description: 'The front page of The Dateline Courier.' },
  { slug: 'world', name: 'World', parent: 'home', description: 'News from every continent.' },
  { slug: 'asia-pacific', name: 'Asia-Pacific', parent: 'world', description: 'From Seoul to Wellington.' },
  { slug: 'europe', name: 'Europe', parent: 'world', description: 'From Lisbon to Tromsø.' },
  { slug: 'americas', name: 'Americas', parent: 'world', description: 'From Montreal to Valparaíso.' },
  { slug: 'africa', name: 'Africa', parent: 'world', description: 'From Nairobi to Dakar.' },
  { slug: 'business', name: 'Business', parent: 'home', description: 'Markets, companies and work.' },
  { slug: 'sport', name: 'Sport', parent: 'home', description: 'Results, transfers and long reads.' },
  { slug: 'culture', name: 'Culture', parent: 'home', description: 'Books, music, film and the arts.' },
  {
    slug: 'reviews',
    name: 'Reviews',
    parent: 'home',
    description: 'Our critics on what is worth your time.',
  },
];

interface Place {
  city: string;
  dateline: string;
  region: string;
  river: string;
  people: string;
}

const PLACES: Place[] = [
  {
    city: 'Seoul',
    dateline: 'SEOUL, South Korea',
    region: 'asia-pacific',
    river: 'Han',
    people: 'Seoulites',
  },
  {
    city: 'Wellington',
    dateline: 'WELLINGTON, New Zealand',
    region: 'asia-pacific',
    river: 'Hutt',
    people: 'Wellingtonians',
  },
  {
    city: 'Osaka',
    dateline: 'OSAKA, Japan',
    region: 'asia-pacific',
    river: 'Yodo',
    people: 'residents of Osaka',
  },
  { city: 'Hanoi', dateline: 'HANOI, Vietnam', region: 'asia-pacific', river: 'Red', people: 'Hanoians' },
  { city: 'Lisbon', dateline: 'LISBON, Portugal', region: 'europe', river: 'Tagus', people: 'Lisboetas' },
  {
    city: 'Tromsø',
    dateline: 'TROMSØ, Norway',
    region: 'europe',
    river: 'Tromsøysund',
    people: 'townspeople',
  },
  { city: 'Kraków', dateline: 'KRAKÓW, Poland', region: 'europe', river: 'Vistula', people: 'Cracovians' },
  {
    city: 'Montreal',
    dateline: 'MONTREAL, Canada',
    region: 'americas',
    river: 'St. Lawrence',
    people: 'Montrealers',
  },
  {
    city: 'Valparaíso',
    dateline: 'VALPARAÍSO, Chile',
    region: 'americas',
    river: 'Aconcagua',
    people: 'porteños',
  },
  { city: 'Nairobi', dateline: 'NAIROBI, Kenya', region: 'africa', river: 'Nairobi', people: 'Nairobians' },
  { city: 'Dakar', dateline: 'DAKAR, Senegal', region: 'africa', river: 'Senegal', people: 'Dakarois' },
  {
    city: 'Busan',
    dateline: 'BUSAN, South Korea',
    region: 'asia-pacific',
    river: 'Nakdong',
    people: 'Busan residents',
  },
];

const REPORTERS = [
  'Min-ji Park',
  'Aroha Ngata',
  'Kenji Watanabe',
  'Linh Tran',
  'Inês Carvalho',
  'Sigrid Olsen',
  'Tomasz Nowak',
  'Camille Tremblay',
  'Javiera Soto',
  'Wanjiru Kamau',
  'Awa Diop',
  'Sam Whitfield',
];
const SOURCES = ['AP', 'Reuters', 'AFP', 'Dateline Courier staff'];

interface Story {
  section: (p: Place) => string;
  tags: string[];
  title: (p: Place) => string;
  subtitle: (p: Place) => string;
  paragraphs: (p: Place) => string[];
}

const STORIES: Story[] = [
  {
    section: (p) => p.region,
    tags: ['weather', 'infrastructure'],
    title: (p) => `${p.city} harbour reopens after a week of storms`,
    subtitle: () => 'Fishing crews return to sea as the last warnings are lifted',
    paragraphs: (p) => [
      `The harbour in ${p.city} reopened on Tuesday after seven days in which no boat was allowed to leave, port officials said, as the last of a string of storms moved out to sea.`,
      `Crews who had waited on the quays since the weekend began loading ice and nets before dawn. “We lost a week, but nobody lost a boat,” one skipper said, coiling rope on the deck of a blue trawler.`,
      `The storms flooded low streets near the ${p.river} and cut power to several thousand homes. Engineers expect every household to be reconnected by Friday.`,
      `City officials said they would review the sea wall, parts of which were overtopped twice during the week. A report is due before the next storm season.`,
    ],
  },
  {
    section: (p) => p.region,
    tags: ['elections', 'politics'],
    title: (p) => `${p.city} votes in a closely fought mayoral race`,
    subtitle: () => 'Turnout was the highest in two decades, early figures suggest',
    paragraphs: (p) => [
      `Voters in ${p.city} queued outside polling stations from early morning on Sunday in a mayoral election that opinion surveys had called too close to predict.`,
      `The two leading candidates spent the final week arguing over housing, bus fares and the future of the waterfront along the ${p.river}.`,
      `“I have voted in every election since I was eighteen, and I have never seen a line like this,” said a retired teacher waiting with her grandson.`,
      `Counting began as soon as polls closed. Election officials said a result was expected overnight, though a recount is automatic if the margin is below half a percentage point.`,
    ],
  },
  {
    section: () => 'business',
    tags: ['markets', 'economy'],
    title: (p) => `${p.city} start-ups raise record sums despite a cautious market`,
    subtitle: () => 'Investors favour companies that already make money',
    paragraphs: (p) => [
      `Young companies in ${p.city} raised more money in the last quarter than in any quarter on record, according to figures compiled by the city’s chamber of commerce.`,
      `The money went to fewer firms than a year ago. Investors said they now prefer businesses with paying customers over those promising growth alone.`,
      `“The question used to be how fast you can grow. Now it is how long you can last,” said a partner at a local venture fund.`,
      `Logistics, food technology and software for small shops drew the largest rounds. Consumer apps, once the favourite, attracted the least.`,
    ],
  },
  {
    section: () => 'business',
    tags: ['transport', 'economy'],
    title: (p) => `Ferry operator in ${p.city} orders electric vessels`,
    subtitle: () => 'The first of four boats is due next spring',
    paragraphs: (p) => [
      `The main ferry operator in ${p.city} has ordered four battery-powered vessels to replace diesel boats that have crossed the ${p.river} for more than thirty years.`,
      `The company said the new boats would cut fuel costs by about half and would be charged overnight at a new terminal on the eastern bank.`,
      `Commuters welcomed the news but asked for more frequent crossings at rush hour. The operator said the timetable would be reviewed once the new fleet is in service.`,
    ],
  },
  {
    section: () => 'sport',
    tags: ['football'],
    title: (p) => `Late goal sends ${p.city} side into the cup semi-final`,
    subtitle: () => 'A header in the ninety-third minute settles a tense quarter-final',
    paragraphs: (p) => [
      `A header in the third minute of stoppage time sent ${p.city} into the semi-finals of the national cup on Saturday, sparking celebrations that went on long after the final whistle.`,
      `The home side had trailed for most of the second half before an equaliser from the penalty spot with ten minutes left.`,
      `“We never stopped believing. This crowd would not let us,” the captain said, his voice hoarse from shouting.`,
      `The draw for the semi-finals takes place on Monday. ${p.people} will hope for another home tie.`,
    ],
  },
  {
    section: () => 'sport',
    tags: ['athletics', 'marathon'],
    title: (p) => `Thousands run the ${p.city} marathon in unseasonable heat`,
    subtitle: () => 'Organisers added water stations overnight',
    paragraphs: (p) => [
      `More than twelve thousand runners finished the ${p.city} marathon on Sunday in temperatures well above the seasonal average.`,
      `Organisers added six water stations overnight and moved the start forward by half an hour. Medical teams treated dozens of runners for heat exhaustion, none seriously.`,
      `The winner crossed the line along the banks of the ${p.river} in just over two hours and eleven minutes, a course record despite the conditions.`,
    ],
  },
  {
    section: () => 'culture',
    tags: ['museums', 'art'],
    title: (p) => `${p.city} museum reopens with a new wing for local artists`,
    subtitle: () => 'Entry will be free on the first Sunday of every month',
    paragraphs: (p) => [
      `The city museum in ${p.city} reopened on Thursday after a three-year renovation, with a new wing devoted entirely to artists who live and work in the region.`,
      `The opening exhibition brings together painting, textiles and photography, including a series of portraits of fishing families made over forty years.`,
      `“We wanted ${p.people} to walk in and recognise their own streets on the walls,” the director said.`,
      `Entry will be free on the first Sunday of every month, a practice the museum had abandoned a decade ago.`,
    ],
  },
  {
    section: () => 'culture',
    tags: ['music', 'festivals'],
    title: (p) => `Jazz festival returns to the ${p.city} waterfront`,
    subtitle: () => 'Organisers expect record crowds over four nights',
    paragraphs: (p) => [
      `The waterfront jazz festival returns to ${p.city} this weekend for the first time in three years, with more than sixty acts on four stages along the ${p.river}.`,
      `Organisers said advance ticket sales were the strongest in the festival’s history and urged visitors to arrive by ferry or on foot.`,
      `Local bands open each night, followed by touring musicians from across the region. The closing concert is free.`,
    ],
  },
  {
    section: () => 'reviews',
    tags: ['books', 'review'],
    title: (p) => `Review: a quiet novel about a bookshop in ${p.city}`,
    subtitle: () => 'A debut that rewards patience',
    paragraphs: (p) => [
      `Nothing much happens in this debut novel, set in a second-hand bookshop in ${p.city}, and that is precisely its charm.`,
      `The owner, a widower in his seventies, spends his days repairing spines and his evenings writing letters he never sends. A student who takes a summer job in the shop slowly learns why.`,
      `The prose is plain and exact. Some readers will find the pace too slow; those who stay will be rewarded by a final chapter of real tenderness.`,
      `Four stars out of five.`,
    ],
  },
  {
    section: () => 'reviews',
    tags: ['film', 'review'],
    title: (p) => `Review: ${p.city} after dark, on film`,
    subtitle: () => 'A documentary about the people who work while the city sleeps',
    paragraphs: (p) => [
      `This documentary follows the bakers, bus drivers, nurses and cleaners who keep ${p.city} running between midnight and dawn.`,
      `The director avoids narration and lets her subjects talk. A night-shift nurse describing her walk home along the ${p.river} is the film’s most moving scene.`,
      `At ninety minutes it runs slightly long, but it is hard to think of a warmer portrait of a city.`,
      `Three and a half stars.`,
    ],
  },
  {
    section: (p) => p.region,
    tags: ['environment', 'rivers'],
    title: (p) => `Clean-up of the ${p.river} brings fish back to the city`,
    subtitle: () => 'Volunteers have removed forty tonnes of rubbish in two years',
    paragraphs: (p) => [
      `Fish have returned to stretches of the ${p.river} in central ${p.city} where none had been recorded for decades, scientists said on Wednesday.`,
      `The change follows a two-year clean-up in which volunteers removed about forty tonnes of rubbish, and new rules that stopped three factories discharging waste upstream.`,
      `“Children can see fish from the bridges again. That is the best measure we have,” said a biologist who has sampled the river every month since the project began.`,
    ],
  },
  {
    section: () => 'business',
    tags: ['housing', 'economy'],
    title: (p) => `Rents in ${p.city} rise for the sixth quarter in a row`,
    subtitle: () => 'Tenants’ groups call for a cap on increases',
    paragraphs: (p) => [
      `Average rents in ${p.city} rose again in the last quarter, the sixth consecutive increase, according to figures from the national statistics office.`,
      `The rise was sharpest for small flats near the centre, where demand from students and young workers is strongest.`,
      `Tenants’ groups called for a cap on annual increases. Landlords’ associations said the answer was to build more homes, faster.`,
    ],
  },
  {
    section: () => 'sport',
    tags: ['sailing'],
    title: (p) => `${p.city} crew wins the coastal regatta`,
    subtitle: () => 'A change of wind in the final leg decides the race',
    paragraphs: (p) => [
      `A crew from ${p.city} won the coastal regatta on Saturday after a late change in the wind carried them past the leaders in the final leg.`,
      `Twenty-four boats started the two-day race. Only seventeen finished after a squall on the first evening forced several to retire.`,
      `“We were fourth at the last mark and decided to gamble on the shore breeze. It paid off,” the skipper said.`,
    ],
  },
  {
    section: () => 'culture',
    tags: ['food'],
    title: (p) => `The night market that feeds ${p.city}`,
    subtitle: () => 'Stallholders say the crowds have never been bigger',
    paragraphs: (p) => [
      `Every evening at six, a car park near the ${p.river} turns into one of the busiest places to eat in ${p.city}.`,
      `More than eighty stalls sell grilled fish, noodles, dumplings and sweets. Some families have cooked at the same spot for three generations.`,
      `“My grandmother started with one pot and one table,” said a stallholder stirring a broth that has simmered since morning. “Now we have four tables and a queue.”`,
    ],
  },
  {
    section: (p) => p.region,
    tags: ['transport', 'infrastructure'],
    title: (p) => `New bridge over the ${p.river} opens to cyclists and walkers`,
    subtitle: () => 'No cars allowed on a crossing five years in the making',
    paragraphs: (p) => [
      `A new bridge across the ${p.river} opened in ${p.city} on Monday, reserved for people on foot and on bicycles.`,
      `The crossing took five years to plan and build and cost less than first estimated, city engineers said.`,
      `Hundreds of ${p.people} walked across in the first hour. Several said it would cut their commute by twenty minutes.`,
    ],
  },
];

const DAY = 24 * 60 * 60 * 1000;

/** About 60 original, fictional articles: every story in five of its cities, dates spread over 60 days. */
export function demoArticles(now = Date.now()): (WriterInput & { externalId: string })[] {
  const out: (WriterInput & { externalId: string })[] = [];
  let n = 0;
  for (let round = 0; round < 4; round++) {
    STORIES.forEach((story, s) => {
      const place = PLACES[(s * 5 + round * 7) % PLACES.length];
      const i = n++;
      const paragraphs = story.paragraphs(place);
      const publishedAt = new Date(now - ((i * 61) % 60) * DAY - ((i * 37) % 23) * 3_600_000 - 3_600_000);
      const status = i === 7 || i === 23 ? 'draft' : 'published';
      out.push({
        externalId: `demo:${i + 1}`,
        title: story.title(place),
        subtitle: story.subtitle(place),
        dateline: place.dateline,
        byline: `By ${REPORTERS[i % REPORTERS.length]}`,
        source: SOURCES[i % SOURCES.length],
        section: story.section(place),
        sections: story.section(place) === place.region ? [] : [place.region],
        tags: [
          ...story.tags,
          place.city
            .toLowerCase()
            .normalize('NFD')
            .replace(/[^a-z]/g, ''),
        ],
        body: [
          { type: 'paragraph', text: paragraphs[0] },
          ...(paragraphs.length > 3 ? [{ type: 'heading', level: 2, text: 'What happens next' }] : []),
          ...paragraphs.slice(1).map((text) => ({ type: 'paragraph', text })),
        ],
        heroImage:
          i % 3 === 0
            ? {
                url: `https://images.example.com/demo/${i + 1}.jpg`,
                alt: story.title(place),
                caption: `${place.city}, this week.`,
                credit: SOURCES[i % SOURCES.length],
                width: 1600,
                height: 900,
              }
            : null,
        status,
        publishedAt: status === 'draft' ? null : publishedAt.toISOString(),
      });
    });
  }
  // One story waits for tomorrow morning: the demo shows scheduling.
  out[out.length - 1].publishedAt = new Date(now + DAY).toISOString();
  return out;
}

/** Material for synthetic articles (benchmarks): realistic sizes, not meant to be read. */
export const SYNTHETIC = { STORIES, PLACES, REPORTERS, SOURCES };
