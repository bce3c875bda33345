/**
 * Alias tables for the matcher: every phrase on the right is rewritten to the
 * canonical token on the left before tokenising, so "Federal Reserve" and
 * "Fed", "Korea Republic" and "South Korea", "Internazionale" and "Inter"
 * compare equal. Phrases are written folded (lower case, no accents, "&" as
 * "and"); the longest phrase wins.
 *
 * Team entries cover the clubs seen in the venues' catalogs; extend them as
 * new leagues appear (a missing alias costs recall, never precision: the
 * structural checks still have to agree).
 */
export const ALIASES: Readonly<Record<string, readonly string[]>> = {
  // institutions, parties, offices
  fed: ['federal reserve', 'the fed', 'fomc', 'fed'],
  dem: ['democratic party', 'democratics', 'democrats', 'democratic', 'democrat', 'dems', 'dem'],
  rep: ['republican party', 'republicans', 'republican', 'gop'],
  us: ['united states of america', 'united states', 'usa', 'u s a', 'u s'],
  uk: ['united kingdom', 'great britain', 'britain'],
  governor: ['governorship', 'gubernatorial', 'governor'],
  attorney_general: ['attorney general'],
  president: ['presidential', 'president'],
  house: ['house of representatives', 'house'],
  field: [
    'a candidate not listed above',
    'another candidate',
    'another party',
    'another team',
    'another chef',
    'another player',
    'another club',
    'another country',
    'another artist',
    'other',
  ],
  // economics and rates
  cut: ['cuts', 'cut', 'decrease'],
  hike: ['hikes', 'hike', 'increase'],
  hold: ['no change', 'unchanged', 'hold'],
  gdp: ['gross domestic product', 'gdp'],
  turnout: ['total votes cast', 'votes cast', 'voter turnout', 'turnout'],
  midterm: ['midterm elections', 'midterms', 'midterm'],
  yoy: ['year over year', 'yoy'],
  mom: ['month over month', 'mom'],
  qoq: ['quarter over quarter', 'qoq'],
  // crypto
  btc: ['bitcoin', 'btc'],
  eth: ['ethereum', 'eth', 'ether'],
  doge: ['dogecoin', 'doge'],
  hype: ['hyperliquid', 'hype'],
  sol: ['solana', 'sol'],
  xrp: ['ripple', 'xrp'],
  // sport vocabulary
  first_half: ['leading at halftime', 'leading at half time', '1st half', 'first half', 'halftime', 'half time', 'half-time', '1h'],
  draw: ['tie', 'draw', 'draws'],
  btts: ['both teams to score', 'both teams score', 'btts'],
  total_line: ['overunder', 'totals', 'total goals', 'goals be scored', 'goals scored'],
  spread: ['spreads', 'spread'],
  mvp: ['most valuable player', 'mvp'],
  manager_of_the_year: ['manager of the year', 'moty'],
  comeback_player_of_the_year: ['comeback player of the year', 'cpoty'],
  defensive_player_of_the_year: ['defensive player of the year', 'dpoty'],
  national_league: ['national league', 'nl'],
  american_league: ['american league'],
  mlb: ['major league baseball', 'pro baseball', 'mlb'],
  nfl: ['pro football', 'nfl'],
  nba: ['pro basketball', 'nba'],
  nhl: ['pro hockey', 'nhl'],
  world_cup: ['fifa world cup', 'world cup'],
  champions_league: ['uefa champions league', 'champions league', 'ucl'],
  eurovision: ['eurovision song contest', 'eurovision'],
  semi_final: ['semi-final', 'semi final', 'semifinal'],
  // countries
  south_korea: ['korea republic', 'republic of korea', 'south korea'],
  north_korea: ['korea dpr', 'north korea'],
  czechia: ['czech republic', 'czechia'],
  turkey: ['turkiye', 'turkey'],
  ivory_coast: ["cote d'ivoire", 'cote divoire', 'ivory coast'],
  // football clubs (Europe)
  inter: ['fc internazionale milano', 'internazionale milano', 'internazionale', 'inter milan', 'inter'],
  lazio: ['ss lazio', 'lazio'],
  bayern: ['fc bayern munchen', 'bayern munchen', 'bayern munich', 'fc bayern', 'bayern'],
  koln: ['fc koln', 'koln', 'koeln', 'cologne'],
  heidenheim: ['fc heidenheim 1846', 'heidenheim 1846', 'fc heidenheim', 'heidenheim'],
  union_berlin: ['fc union berlin', 'union berlin'],
  augsburg: ['fc augsburg', 'augsburg'],
  athletic_bilbao: ['athletic club', 'athletic bilbao', 'bilbao'],
  celta: ['rc celta de vigo', 'celta de vigo', 'celta vigo', 'celta'],
  benfica: ['sport lisboa e benfica', 'sl benfica', 'benfica'],
  braga: ['sc braga', 'braga'],
  man_united: ['manchester united fc', 'manchester united', 'man united', 'man utd'],
  man_city: ['manchester city fc', 'manchester city', 'man city'],
  psg: ['paris saint-germain', 'paris saint germain', 'paris sg', 'psg'],
  brest: ['stade brestois 29', 'stade brestois', 'stade brest', 'brest'],
  strasbourg: ['rc strasbourg alsace', 'strasbourg alsace', 'rc strasbourg', 'strasbourg'],
  como: ['como 1907', 'como'],
  verona: ['hellas verona fc', 'hellas verona', 'verona'],
  sassuolo: ['us sassuolo calcio', 'us sassuolo', 'sassuolo'],
  lecce: ['us lecce', 'lecce'],
  rayo_vallecano: ['rayo vallecano de madrid', 'rayo vallecano', 'vallecano'],
  real_madrid: ['real madrid cf', 'real madrid'],
  oviedo: ['real oviedo', 'oviedo'],
  levante: ['levante ud', 'levante'],
  sevilla: ['sevilla fc', 'sevilla'],
  villarreal: ['villarreal cf', 'villarreal'],
  girona: ['girona fc', 'girona'],
  west_ham: ['west ham united fc', 'west ham united', 'west ham'],
  newcastle: ['newcastle united fc', 'newcastle united', 'newcastle'],
  brighton: ['brighton and hove albion fc', 'brighton and hove albion', 'brighton'],
  aston_villa: ['aston villa fc', 'aston villa'],
  burnley: ['burnley fc', 'burnley'],
  // football clubs (Americas)
  gremio: ['gremio fbpa', 'gremio'],
  bahia: ['ec bahia', 'bahia'],
  palmeiras: ['se palmeiras', 'palmeiras'],
  cruzeiro: ['cruzeiro ec', 'cruzeiro'],
  paranaense: ['ca paranaense', 'athletico paranaense', 'paranaense'],
  goianiense: ['ac goianiense', 'atletico goianiense', 'goianiense'],
  adt: ['asociacion deportiva tarma', 'adt'],
  nycfc: ['new york city fc', 'new york city', 'nycfc'],
  columbus: ['columbus crew', 'columbus'],
  new_england: ['new england revolution', 'new england'],
  minnesota: ['minnesota united fc', 'minnesota united'],
  dallas: ['fc dallas'],
  vancouver: ['vancouver whitecaps fc', 'vancouver whitecaps', 'vancouver'],
  seattle: ['seattle sounders fc', 'seattle sounders', 'seattle'],
  san_jose: ['san jose earthquakes', 'san jose'],
  // hockey
  golden_knights: ['vegas golden knights', 'golden knights'],
  ducks: ['anaheim ducks', 'ducks'],
};

/** Words that carry no meaning for matching. */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'will', 'the', 'a', 'an', 'be', 'is', 'are', 'was', 'in', 'on', 'of', 'for', 'to', 'by', 'at', 'and', 'or', 'as',
  'there', 'this', 'that', 'have', 'has', 'had', 'with', 'from', 'what', 'who', 'which', 'how', 'many', 'much',
  'does', 'do', 'than', 'any', 'anyone', 'vs', 'v', 'versus', 'it', 'its', 'his', 'her', 'their', 'next', 'get',
  'fc', 'cf', 'sc', 'ec', 'ud', 'ss', 'afc', 'rc', 'ac', 'ca', 'se', 'de', 'e', 'la', 'el', 'jr', 'sr', 'ii', 'iii',
  'more', 'markets', 'winner', 'winners', 'win', 'wins', 'happen', 'et', 'pm', 'am', 'edt', 'est',
  'over', 'under', 'above', 'below', 'least', 'most', 'between', 'less', 'greater', 'fewer', 'times', 'or',
  'before', 'after', 'until', 'since', 'during', 'through', 'end',
]);

/**
 * IOC/FIFA three-letter country codes Kalshi uses as ticker suffixes, for the
 * outcome of a market whose title is the same for every outcome.
 */
export const COUNTRY_CODES: Readonly<Record<string, string>> = {
  ALB: 'Albania', ARG: 'Argentina', ARM: 'Armenia', AUS: 'Australia', AUST: 'Austria', AUT: 'Austria',
  AZE: 'Azerbaijan', BEL: 'Belgium', BRA: 'Brazil', CAN: 'Canada', CRO: 'Croatia', CYP: 'Cyprus',
  CZE: 'Czechia', DEN: 'Denmark', ENG: 'England', ESP: 'Spain', EST: 'Estonia', FIN: 'Finland',
  FRA: 'France', GEO: 'Georgia', GER: 'Germany', GHA: 'Ghana', GRE: 'Greece', ISL: 'Iceland',
  ISR: 'Israel', ITA: 'Italy', JPN: 'Japan', KOR: 'South Korea', LAT: 'Latvia', LTU: 'Lithuania',
  MEX: 'Mexico', MLT: 'Malta', NED: 'Netherlands', NOR: 'Norway', PAN: 'Panama', POL: 'Poland',
  POR: 'Portugal', RSA: 'South Africa', SMR: 'San Marino', SRB: 'Serbia', SUI: 'Switzerland',
  SWE: 'Sweden', UKR: 'Ukraine', USA: 'United States', URU: 'Uruguay',
};

/** Places whose disagreement vetoes a pair (US states and countries), folded. */
export const PLACES: readonly string[] = [
  'alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida',
  'georgia', 'hawaii', 'idaho', 'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine',
  'maryland', 'massachusetts', 'michigan', 'minnesota', 'mississippi', 'missouri', 'montana', 'nebraska',
  'nevada', 'new hampshire', 'new jersey', 'new mexico', 'new york', 'north carolina', 'north dakota', 'ohio',
  'oklahoma', 'oregon', 'pennsylvania', 'rhode island', 'south carolina', 'south dakota', 'tennessee', 'texas',
  'utah', 'vermont', 'virginia', 'washington', 'west virginia', 'wisconsin', 'wyoming',
  'brazil', 'russia', 'china', 'iran', 'israel', 'ukraine', 'mexico', 'canada', 'japan', 'india', 'germany',
  'france', 'italy', 'spain', 'ireland', 'taiwan', 'venezuela', 'argentina', 'peru', 'chile', 'colombia',
  'south_korea', 'north_korea', 'uk', 'us', 'euro area', 'eurozone',
];
