/**
 * Hand-checked TRUE pairs from the May 2026 catalog (`./catalog/*.json`): the
 * same contract listed on Kalshi and on Polymarket. The simulated venues plant
 * arbitrage on exactly these pairs; the matcher tests use them as positives and
 * `--demo` approves them so that tradable opportunities show at once.
 *
 * Checked one by one against the titles in the catalog: same entity (party,
 * team, person, country), same threshold/line, same date or season, same
 * period (full time vs first half), same statistic (goals, not corners), same
 * event stage (win a group vs qualify from it; nominee vs place first).
 *
 * Deliberately NOT planted (look-alikes that are different contracts):
 * - SENATEKS-28 (Kansas Senate 2028) vs Polymarket "Kansas Senate race in 2026": other year.
 * - KXNEWOUTBREAK-P-26 "Pandemic in 2026?" vs "New Coronavirus Pandemic in 2026?": coronavirus only.
 * - KXIMPEACH-29-JAN20 (before Jan 20 2029) vs "impeached by end of 2026": other deadline.
 * - KXCAPRIMARY-07FIRST26-* (place first) vs "advance from the CA-07 primary" (top two).
 * - KXWCGROUPQUAL-26A-* (qualify from group) vs "win Group A": superset, not same.
 * - KXLALIGA1H-26MAY14RMAOVI / KXLIGUE11H-26MAY13STBRCS / KXBUNDESLIGA1H-26MAY16UNIFCA
 *   (first half) vs the Polymarket full-time 1X2 markets of those games.
 * - KXEPLTOTAL-26MAY10BURAVL (goals) vs "Burnley FC vs. Aston Villa FC … Total Corners".
 * - KXPERLIGA1-26-CAJ2 (FC Cajamarca) vs "UTC Cajamarca": other club.
 * - KXGOVCONOMD-26-* (Colorado governor) vs "Democratic nominee for Senate in Colorado".
 * - KXTXPRIMARY-35D26 (TX-35) vs the TX-33 primary; KXUKGDPMOM (monthly) vs UK Q1 growth;
 *   KXDOGEMAXMON/KXHYPEMAXMON (trimmed mean above) vs "reach $X in May" (touch price);
 *   KXCBDECISIONRUSSIA "cut 25bps" vs "decrease the key rate" (subset).
 * - KXRATECUTCOUNT-26DEC31-T1 vs "Will 1 Fed rate cut happen in 2026?": the venues may
 *   count a 50 bp cut differently (one decision vs two 25 bp cuts); not verifiable here.
 * - KXGOVNYNOMD-25 / KXGOVNHNOMD-26 ("be the nominee") vs "win the primary": a nominee can
 *   be replaced after the primary; not planted to stay strict.
 * - KXCOPPAITALIAGAME-26MAY13LAZINT: a cup final (extra time / penalties) where the venues'
 *   regulation-time rules could not be checked offline.
 *
 * Every pair here is `same`: Polymarket's first outcome (its YES token) pays exactly
 * when Kalshi YES pays. For Over/Under and spread markets the first outcome is not
 * literally "Yes" (it is "Over", or the team giving the handicap); the label is recorded.
 */

export type PairRelation = 'same' | 'inverse';

export interface PlantedPair {
  readonly kalshiTicker: string;
  readonly polymarketConditionId: string;
  /** `same`: Kalshi YES = Polymarket first outcome; `inverse`: Kalshi YES = second outcome. */
  readonly relation: PairRelation;
  /** Polymarket outcome that pays exactly when Kalshi YES pays: its label and index in `outcomes`. */
  readonly polymarketOutcomeForKalshiYes: { readonly index: 0 | 1; readonly label: string };
  /** Polymarket outcome labels, in order (`outcomes[0]`, `outcomes[1]`). */
  readonly polymarketOutcomes: readonly [string, string];
  /** One line: why these are the same contract. */
  readonly note: string;
}

function pair(
  kalshiTicker: string,
  polymarketConditionId: string,
  outcomes: readonly [string, string],
  note: string,
): PlantedPair {
  return {
    kalshiTicker,
    polymarketConditionId,
    relation: 'same',
    polymarketOutcomeForKalshiYes: { index: 0, label: outcomes[0] },
    polymarketOutcomes: outcomes,
    note,
  };
}

export const PLANTED_PAIRS: readonly PlantedPair[] = [
  pair("KXBRAZILPRES1R-26OCT04", "0x087469b4129c64c688397028059dfd366796adbd426e0079ee4cfdd2e4a07b61", ["Yes", "No"],
    "2026 Brazil presidential election: someone wins the first round outright on both venues"),
  pair("KXALIENS-27", "0x747dc809fb79e1b05be09c42d6179459a58de2ef3e40f02484a4e1260f741f75", ["Yes", "No"],
    "same deadline (before 2027); not the Jul 2026 / 2028 / 2029 siblings nor Polymarket's month deadlines"),
  pair("GOVPARTYIA-26-R", "0x26d2b09d5f5d5bfd520454b3e896f368672f3a9ee542e0af6ef08e3a25e445b0", ["Yes", "No"],
    "2026 Iowa governor won by the Republican party"),
  pair("HOUSEAKAL-26-D", "0x669ba3821baa39faef138f51fb0bc00dce395302cb56a432917b4d0bb459fc60", ["Yes", "No"],
    "2026 AK-AL House seat won by the Democratic party (party, not a lettered candidate)"),
  pair("HOUSEAKAL-26-R", "0x909e3566fa0384f39020837073fe6e9fac5fe340b49998f284737c04fddd3212", ["Yes", "No"],
    "2026 AK-AL House seat won by the Republican party (party, not a lettered candidate)"),
  pair("HOUSEIL17-26-D", "0xa0562ac765e26c04e158149cbdf1bc74d42b21669a20f48c4ef716d8738e6d94", ["Yes", "No"],
    "2026 IL-17 House seat won by the Democratic party (party, not a lettered candidate)"),
  pair("HOUSEIL17-26-R", "0x59946d130f7e7093e3463db4221f6e620f670b45ff4acd42def5e29742bee074", ["Yes", "No"],
    "2026 IL-17 House seat won by the Republican party (party, not a lettered candidate)"),
  pair("HOUSENC1-26-D", "0x2b94021bfae4d3742477c683eef5f901e26cdc07d42a3dea536a3092b290f177", ["Yes", "No"],
    "2026 NC-01 House seat won by the Democratic party (party, not a lettered candidate)"),
  pair("HOUSENC1-26-R", "0x587f44f11f175ae5a67de2052bceec0a2eb9bb9b98c99f051103211211604606", ["Yes", "No"],
    "2026 NC-01 House seat won by the Republican party (party, not a lettered candidate)"),
  pair("KXHOUSERACE-AL02-26-D", "0x9ae9e84c0d3b66ee416c0caa915777397b9c656939a0621ecd8c2572073c8893", ["Yes", "No"],
    "2026 AL-02 House seat won by the Democratic party (party, not a lettered candidate)"),
  pair("KXHOUSERACE-AL02-26-R", "0x789e15c2a1581b37deaabb5fa555d0d8dbfba11b46424c65cd42e73cfe722eaa", ["Yes", "No"],
    "2026 AL-02 House seat won by the Republican party (party, not a lettered candidate)"),
  pair("KXHOUSERACE-AL07-26-D", "0x236467170766297db2ac7db539cf9b43632532b588d2db12a03b7a3d3eccfb88", ["Yes", "No"],
    "2026 AL-07 House seat won by the Democratic party (party, not a lettered candidate)"),
  pair("KXHOUSERACE-AL07-26-R", "0x271ba1bda0d71c2adf8cb3ab0857ce661509dc9d7a20da03b2a95a1f23b09115", ["Yes", "No"],
    "2026 AL-07 House seat won by the Republican party (party, not a lettered candidate)"),
  pair("KXHOUSERACE-CA25-26-D", "0x22a7808c527aa00568f696db9fb3eb922843e9e43ad4bbfef8c9c659b6ed2ec5", ["Yes", "No"],
    "2026 CA-25 House seat won by the Democratic party (party, not a lettered candidate)"),
  pair("KXHOUSERACE-CA25-26-R", "0x7bec8d71484dbefeb803c4f73c94188e6355b94ad731520c3a543eefd29457b2", ["Yes", "No"],
    "2026 CA-25 House seat won by the Republican party (party, not a lettered candidate)"),
  pair("KXHOUSERACE-IL14-26-D", "0x553d9f98f3415a6849bc2691c40b50b9603c15d0a7807bd75a1555c2a72da343", ["Yes", "No"],
    "2026 IL-14 House seat won by the Democratic party (party, not a lettered candidate)"),
  pair("KXHOUSERACE-IL14-26-R", "0x4bb38a87621a76ed28194edb5355936b7b775fcb7f48e590cc92dbd4c9014671", ["Yes", "No"],
    "2026 IL-14 House seat won by the Republican party (party, not a lettered candidate)"),
  pair("KXHOUSERACE-CO02-26-R", "0x4554565c16f06a8882851e5b728c9476221d7366cc2714741190f9c4b2832104", ["Yes", "No"],
    "2026 CO-02 House seat won by the Republican party (Polymarket lists no Democratic-party market here)"),
  pair("KXHOUSERACE-FL03-26-R", "0x1cf2449dad53485515a44f2d76813500e78202f2c8e951943434794181fcdb03", ["Yes", "No"],
    "2026 FL-03 House seat won by the Republican party (Polymarket lists no Democratic-party market here)"),
  pair("KXHOUSERACE-OH10-26-R", "0x3961473d4a336d8eded9cf3cca299ca72bd68c57a435d82b7c5289f276b7d0c9", ["Yes", "No"],
    "2026 OH-10 House seat won by the Republican party (Polymarket lists no Democratic-party market here)"),
  pair("KXWCGROUPWIN-26A-CZE", "0xd294f77d08d734816c146c5fdf30326a4a61abba79a1e8b7abd49c33725ef2d1", ["Yes", "No"],
    "Czechia finishes first in 2026 World Cup Group A; not the KXWCGROUPQUAL 'qualify' market"),
  pair("KXWCGROUPWIN-26A-KOR", "0xb366117d881a5adac00775548d46fe437db5ac77ce1fc8af63a4cd6957c9a70d", ["Yes", "No"],
    "South Korea (Kalshi: Korea Republic) finishes first in 2026 World Cup Group A; not the KXWCGROUPQUAL 'qualify' market"),
  pair("KXWCGROUPWIN-26A-MEX", "0x6539e18b791b6107030843e6347040fb5e17211c9ba63b79db8bc0f162627821", ["Yes", "No"],
    "Mexico finishes first in 2026 World Cup Group A; not the KXWCGROUPQUAL 'qualify' market"),
  pair("KXWCGROUPWIN-26A-RSA", "0xc68a09ebb3f9aba4a0824a05bd451e827579b459fa3d72d381936ed027556a7a", ["Yes", "No"],
    "South Africa finishes first in 2026 World Cup Group A; not the KXWCGROUPQUAL 'qualify' market"),
  pair("KXWCGROUPWIN-26L-CRO", "0xc85d79fbcab7ab6a283a2c17fb8595de79de2b2ac10afbd7a6602ddbe0626ad4", ["Yes", "No"],
    "Croatia finishes first in 2026 World Cup Group L"),
  pair("KXWCGROUPWIN-26L-ENG", "0xd3d833727b8191e8611862f431d5fc0286f3fbd8ac70a9b618d8377526e9bdf5", ["Yes", "No"],
    "England finishes first in 2026 World Cup Group L"),
  pair("KXWCGROUPWIN-26L-GHA", "0x79c8ff02f4fab8be39ef267ae8ed16a03210765e686f221fe3a6811ed0b979e8", ["Yes", "No"],
    "Ghana finishes first in 2026 World Cup Group L"),
  pair("KXWCGROUPWIN-26L-PAN", "0xab04b157643c85023622ad9db79bbaa4d472e6e23456b19653a2c29b973641ac", ["Yes", "No"],
    "Panama finishes first in 2026 World Cup Group L"),
  pair("KXMLBNL-26-AZ", "0x0f9221651f3e55d593651e91f33d16865d30e817942a90c1d4e5e1685b9fd03c", ["Yes", "No"],
    "Arizona Diamondbacks win the 2026 NL pennant (NLCS)"),
  pair("KXMLBNL-26-ATL", "0x4e36affe5d73c91d0072c7b396d574f70d783d25b9a7d965a783a8d7f4a39f3a", ["Yes", "No"],
    "Atlanta Braves win the 2026 NL pennant (NLCS)"),
  pair("KXMLBNL-26-COL", "0x25ed2160e58907f03b82e83191eeeb67347773e62d0fc8dbf427d63b3a639c52", ["Yes", "No"],
    "Colorado Rockies win the 2026 NL pennant (NLCS)"),
  pair("KXMLBNL-26-LAD", "0x07d6d1ac69e705071cfaa10ab950f8231dc3de7cb03638cbabb7fbf481806797", ["Yes", "No"],
    "Los Angeles Dodgers win the 2026 NL pennant (NLCS)"),
  pair("KXMLBNLHAARON-26-BHAR", "0x1944d37981462389227a01d37fe160da9d4d8ea3e69081b5da982c8a1d0cc681", ["Yes", "No"],
    "Bryce Harper, 2026 National League Hank Aaron Award (not the AL award)"),
  pair("KXMLBNLMOTY-26-CMCC", "0x23dae02624e2eac0ab4d7e452cdf29959646c6154afa33f40c20a1ac38a1914c", ["Yes", "No"],
    "Clayton McCullough, 2026 NL Manager of the Year"),
  pair("KXMLBNLMOTY-26-CSTA", "0x3d04ffe2ffad59b5b6d37f68a8a830a80b60969083b4cc2e9e52dd3cd2b5a3a1", ["Yes", "No"],
    "Craig Stammen, 2026 NL Manager of the Year"),
  pair("KXTOPCHEF-26DEC31-BRA", "0x08866a05254eed6c31ba53381b119bba31c098a71031a3ac3b2a9339bd5e50ac", ["Yes", "No"],
    "Brandon Dearden wins Top Chef Season 23"),
  pair("KXPERLIGA1-26-CAJ", "0x38cafba5955adf40c297eec860eecf90abc8f61dee97bc4df99722aed8f323c9", ["Yes", "No"],
    "UTC (de) Cajamarca wins 2026 Liga 1 Peru; NOT KXPERLIGA1-26-CAJ2 (FC Cajamarca, another club)"),
  pair("KXEUROVISIONFIRSTSFINAL-26-BEL", "0x36b2227bbdc6a644e1174c77592c686d1f040f22a691e06e24e4002371394e9c", ["Yes", "No"],
    "Belgium (first semi-final) qualifies for the Eurovision 2026 Grand Final"),
  pair("KXEUROVISIONFIRSTSFINAL-26-GRE", "0x0a2bee6b7fde7ee88998a85a7651436bb22c7743f337c09fe955996795d2e1bf", ["Yes", "No"],
    "Greece (first semi-final) qualifies for the Eurovision 2026 Grand Final"),
  pair("KXMLSGAME-26MAY10NYCCLB-NYC", "0xc7499177ec42208844c4941b77dd3f44c3bd20d0a0ea8b8cf6844c3b88f750b3", ["Yes", "No"],
    "MLS 2026-05-10 NYC FC vs Columbus, full time: New York City FC win"),
  pair("KXMLSGAME-26MAY10NYCCLB-CLB", "0xbd969739bc7b0cf80c6adbe93f87918855f9d809596c3284c758bf7d5be4d58b", ["Yes", "No"],
    "MLS 2026-05-10 NYC FC vs Columbus, full time: Columbus Crew win"),
  pair("KXMLSGAME-26MAY10NYCCLB-TIE", "0xe2d2cc2550db32b65bbe859dbc50e35f133943d53fa41ec629e9d5369428228d", ["Yes", "No"],
    "MLS 2026-05-10 NYC FC vs Columbus, full time: draw"),
  pair("KXLIGAPORTUGALGAME-26MAY11BENBRA-BEN", "0x4b602ea0c8aed571b52d1129dbcda27ec7a03007b7622742a41f70e563093093", ["Yes", "No"],
    "Liga Portugal 2026-05-11 Benfica vs Braga, full time: Benfica win"),
  pair("KXLIGAPORTUGALGAME-26MAY11BENBRA-BRA", "0x00a178ef0a711bd956301d46fb1bf8451117ac00ee9ec371ae166022de375f14", ["Yes", "No"],
    "Liga Portugal 2026-05-11 Benfica vs Braga, full time: Braga win"),
  pair("KXLIGAPORTUGALGAME-26MAY11BENBRA-TIE", "0x8392454351ea36379cc9c259445cdf2f8d9fbf251842b1c6654102fb504a868d", ["Yes", "No"],
    "Liga Portugal 2026-05-11 Benfica vs Braga, full time: draw"),
  pair("KXEPL1H-26MAY17NEWWHU-NEW", "0xd5b84f2a596183f3e857453bb6b09291eeeaf7079972087ab6214698ac8c1f4d", ["Yes", "No"],
    "EPL 2026-05-17 Newcastle vs West Ham: first-half result Newcastle ahead (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXEPL1H-26MAY17NEWWHU-TIE", "0xa195c1e2383823d74ff180c1ad078340ba25c57033f1343bb111a3e2c80e5a40", ["Yes", "No"],
    "EPL 2026-05-17 Newcastle vs West Ham: first-half result level (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXEPL1H-26MAY17NEWWHU-WHU", "0xab9f55d7753815ac0ea956a6f09985058aa103520b106585bccdbb2461be6c91", ["Yes", "No"],
    "EPL 2026-05-17 Newcastle vs West Ham: first-half result West Ham ahead (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXSERIEA1H-26MAY10VERCOM-VER", "0xf2d354d99804048d9c6ca1dcb144c093fbff48a9631b62f7e6def1d2cd89eee4", ["Yes", "No"],
    "Serie A 2026-05-10 Verona vs Como: first-half result Verona ahead (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXSERIEA1H-26MAY10VERCOM-TIE", "0x94a9fc3348732a2da6f2e31a120b01b8172fabed23c0fc8e806a977aaddf77f9", ["Yes", "No"],
    "Serie A 2026-05-10 Verona vs Como: first-half result level (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXSERIEA1H-26MAY10VERCOM-COM", "0x8916459a68fa95a991f72ade0bebfa3c05fb3b237563e1a0a5f5b50bb1822756", ["Yes", "No"],
    "Serie A 2026-05-10 Verona vs Como: first-half result Como ahead (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXLALIGA1H-26MAY13VILSEV-VIL", "0x44580201aec44d02f3f90abbe1e828abb4276afbe371d5c058188df661aa3cfc", ["Yes", "No"],
    "La Liga 2026-05-13 Villarreal vs Sevilla: first-half result Villarreal ahead (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXLALIGA1H-26MAY13VILSEV-TIE", "0x1318db332e1d06e1c1ebee101116b031b922bc934526a705071125ae5a4b27af", ["Yes", "No"],
    "La Liga 2026-05-13 Villarreal vs Sevilla: first-half result level (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXLALIGA1H-26MAY13VILSEV-SEV", "0xb64791f7b6470626e0540e3a366a83d8765c10c814c27754ec585d0efce50814", ["Yes", "No"],
    "La Liga 2026-05-13 Villarreal vs Sevilla: first-half result Sevilla ahead (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXLALIGA1H-26MAY17ATHRCC-ATH", "0x3dfabce29cc423ed213a81d080b90f6be0c07cc6f1a5362c2dfbfa1b7379af5a", ["Yes", "No"],
    "La Liga 2026-05-17 Athletic Club (Bilbao) vs Celta Vigo: first-half result Athletic Club ahead (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXLALIGA1H-26MAY17ATHRCC-TIE", "0xe0067d6b2ded4140848c45b69f7cdecd2400f0c9344139c812e03be3e1c3ab56", ["Yes", "No"],
    "La Liga 2026-05-17 Athletic Club (Bilbao) vs Celta Vigo: first-half result level (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXLALIGA1H-26MAY17ATHRCC-RCC", "0xd5364f038258399ade11089779878d232b9e9b7ab6abe5244dc6a368c3237cea", ["Yes", "No"],
    "La Liga 2026-05-17 Athletic Club (Bilbao) vs Celta Vigo: first-half result Celta ahead (Polymarket 'at halftime'; not the full-time market)"),
  pair("KXMLSBTTS-26MAY13DALVAN-BTTS", "0x96342a32f6b45e38159d5cc04f9cd4f1963e222b66e14b9c2c34c98777d1bf89", ["Yes", "No"],
    "MLS 2026-05-13 Dallas vs Vancouver: both teams score (outcomes Yes/No)"),
  pair("KXMLSBTTS-26MAY13SEASJ-BTTS", "0x48754224365196e1531ec47b572451fb554e066bfc4541690dfdf93bb12550a4", ["Yes", "No"],
    "MLS 2026-05-13 Seattle vs San Jose: both teams score (outcomes Yes/No)"),
  pair("KXLALIGABTTS-26MAY13VILSEV-BTTS", "0x1adc97873f03175d34d3e396cf3ea1a702aa8f60587261531f96f0b62c4d608a", ["Yes", "No"],
    "La Liga 2026-05-13 Villarreal vs Sevilla: both teams score (outcomes Yes/No)"),
  pair("KXMLSTOTAL-26MAY16NEMIN-2", "0x0bb24867475c4a0721ae09506f67ec4f206b38c790ee9be5c9d8eef207aaecbd", ["Over", "Under"],
    "MLS 2026-05-16 New England vs Minnesota: more than 2.5 goals = Polymarket 'Over' (same line 2.5; not corners)"),
  pair("KXMLSTOTAL-26MAY16NEMIN-3", "0x37a4d42f2214f0eda79f76b2cbb42c9bdbfdc3c833fa562807ac0f2bb225f406", ["Over", "Under"],
    "MLS 2026-05-16 New England vs Minnesota: more than 3.5 goals = Polymarket 'Over' (same line 3.5; not corners)"),
  pair("KXBRASILEIROTOTAL-26MAY16PALCRU-1", "0x684e51ae388ae16f74fbbef300f27c074c4f75cc3e4d1ec3ffb674cae1f25e63", ["Over", "Under"],
    "Brasileirao 2026-05-16 Palmeiras vs Cruzeiro: more than 1.5 goals = Polymarket 'Over' (same line 1.5; not corners)"),
  pair("KXBRASILEIROTOTAL-26MAY16PALCRU-3", "0x610e95b8c7a232a6f4cd0acbcd8c7ac64f22f8dd0287f99e0d75a1a0f6220fb6", ["Over", "Under"],
    "Brasileirao 2026-05-16 Palmeiras vs Cruzeiro: more than 3.5 goals = Polymarket 'Over' (same line 3.5; not corners)"),
  pair("KXBRASILEIROTOTAL-26MAY16PALCRU-4", "0x33894fff478051ed11f33310934888c434e4ca0a8e857ce5712dd0a3b235485b", ["Over", "Under"],
    "Brasileirao 2026-05-16 Palmeiras vs Cruzeiro: more than 4.5 goals = Polymarket 'Over' (same line 4.5; not corners)"),
  pair("KXEPLTOTAL-26MAY24BRIMUN-1", "0x3fb6bc7508d490c9d4978464ea436a2faf8db6c6580c1aebe14413ae6453deef", ["Over", "Under"],
    "EPL 2026-05-24 Brighton vs Man United: more than 1.5 goals = Polymarket 'Over' (same line 1.5; not corners)"),
  pair("KXEPLTOTAL-26MAY24BRIMUN-4", "0x24aafec1a2e3c24fe8ee9dc6583f4496b6ded9429d286cfc0c5cf0e88ce008d3", ["Over", "Under"],
    "EPL 2026-05-24 Brighton vs Man United: more than 4.5 goals = Polymarket 'Over' (same line 4.5; not corners)"),
  pair("KXLALIGASPREAD-26MAY11RVCGIR-GIR1", "0x15ff471116d44dc6aa30592bdd65f738617feafdc35896c4a49335f872bdd0bf", ["Girona FC", "Rayo Vallecano de Madrid"],
    "La Liga 2026-05-11 Rayo Vallecano vs Girona: Girona FC wins by more than 1.5 goals = Girona FC covers -1.5"),
  pair("KXLALIGASPREAD-26MAY11RVCGIR-GIR2", "0x6f366a6d347ef585d6a110d928b81d4261b8abaa0d67a3df00e358ef9e6edb7e", ["Girona FC", "Rayo Vallecano de Madrid"],
    "La Liga 2026-05-11 Rayo Vallecano vs Girona: Girona FC wins by more than 2.5 goals = Girona FC covers -2.5"),
  pair("KXLALIGASPREAD-26MAY11RVCGIR-RVC2", "0x9ac0cdbda302f82b86cc156b95c0d020c81bcda583c43d70eee6d2e533c44b92", ["Rayo Vallecano de Madrid", "Girona FC"],
    "La Liga 2026-05-11 Rayo Vallecano vs Girona: Rayo Vallecano de Madrid wins by more than 2.5 goals = Rayo Vallecano de Madrid covers -2.5"),
];

/** Planted pair by Kalshi ticker or Polymarket condition id. */
export function findPlantedPair(venueMarketId: string): PlantedPair | undefined {
  return PLANTED_PAIRS.find(
    (p) => p.kalshiTicker === venueMarketId || p.polymarketConditionId === venueMarketId,
  );
}
