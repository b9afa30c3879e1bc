import type { ItemType } from "../lead-summary.js";

/** The item kinds a make or model implies (everything but furniture; "other" is a golf cart). */
export type VehicleKind = Exclude<ItemType, "furniture">;

/** One make, how customers spell it, and the models we know well enough to name. */
export interface MakeEntry {
  /** Canonical spelling shown to the owner. */
  name: string;
  /** What the make usually builds; a known model's kind or the customer's own word wins. */
  kind: VehicleKind;
  /** Other spellings (nicknames, missing hyphens). */
  aliases?: readonly string[];
  /**
   * The name is also an ordinary word or another make's model ("ranger", "malibu", "regal"),
   * so it only counts with support: a known model after it, a year before it, a capital letter,
   * or a word for its kind ("boat", "camper") in the conversation.
   */
  weak?: boolean;
  /** Known models, grouped by the kind they imply. Bounded on purpose: the common ones. */
  models?: Partial<Record<VehicleKind, readonly string[]>>;
  /** Nicknames of models: alias -> canonical model. */
  modelAliases?: Readonly<Record<string, string>>;
}

/**
 * Makes customers mention, with common models. Bounded on purpose (about 100 makes, the popular
 * models of each): an unknown model still comes through as the word after the make.
 */
export const MAKES: readonly MakeEntry[] = [
  // Cars, trucks, SUVs, vans
  {
    name: "Acura",
    kind: "car",
    models: { car: ["Integra", "TL", "TSX", "ILX", "RSX", "Legend"], suv: ["MDX", "RDX"] },
  },
  { name: "Alfa Romeo", kind: "car", aliases: ["alfa"], models: { car: ["Giulia", "Spider"] } },
  { name: "AMC", kind: "car", models: { car: ["Javelin", "Gremlin", "Pacer", "AMX"] } },
  { name: "Aston Martin", kind: "car" },
  {
    name: "Audi",
    kind: "car",
    models: { car: ["A3", "A4", "A5", "A6", "A8", "TT", "S4", "R8"], suv: ["Q5", "Q7"] },
  },
  { name: "Bentley", kind: "car" },
  {
    name: "BMW",
    kind: "car",
    aliases: ["beemer", "bimmer", "beamer"],
    models: {
      car: ["3 Series", "5 Series", "7 Series", "M3", "M5", "Z3", "Z4", "E30", "E36", "E46", "328i", "335i"],
      suv: ["X3", "X5"],
      motorcycle: ["R1200GS", "R nineT", "K1600"],
    },
  },
  {
    name: "Buick",
    kind: "car",
    models: {
      car: ["Regal", "LeSabre", "Century", "Skylark", "Riviera", "Electra", "Grand National", "LaCrosse"],
      suv: ["Enclave", "Encore"],
    },
  },
  {
    name: "Cadillac",
    kind: "car",
    aliases: ["caddy", "caddie"],
    models: {
      car: ["DeVille", "Coupe DeVille", "Eldorado", "Fleetwood", "Seville", "CTS", "ATS"],
      suv: ["Escalade"],
    },
  },
  {
    name: "Chevrolet",
    kind: "car",
    aliases: ["chevy", "chevey", "chevvy", "chev"],
    models: {
      car: [
        "Impala",
        "Camaro",
        "Corvette",
        "Chevelle",
        "Nova",
        "Malibu",
        "Bel Air",
        "Monte Carlo",
        "El Camino",
        "Cruze",
        "Cobalt",
        "Caprice",
        "Cavalier",
      ],
      truck: ["Silverado", "C10", "K10", "C20", "Colorado", "S10", "Avalanche"],
      suv: ["Tahoe", "Suburban", "Blazer", "Equinox", "Traverse", "Trailblazer", "Tracker"],
      van: ["Express", "Astro"],
    },
    modelAliases: { vette: "Corvette", elcamino: "El Camino" },
  },
  {
    name: "Chrysler",
    kind: "car",
    models: {
      car: ["300", "Sebring", "PT Cruiser", "New Yorker", "Imperial"],
      van: ["Pacifica", "Town & Country"],
    },
  },
  { name: "Datsun", kind: "car", models: { car: ["240Z", "280Z", "510"] } },
  {
    name: "Dodge",
    kind: "car",
    models: {
      car: ["Charger", "Challenger", "Dart", "Coronet", "Viper", "Neon", "Super Bee"],
      truck: ["Ram", "Dakota"],
      suv: ["Durango"],
      van: ["Caravan", "Grand Caravan"],
    },
  },
  { name: "Ferrari", kind: "car" },
  { name: "Fiat", kind: "car", models: { car: ["500", "124 Spider"] } },
  {
    name: "Ford",
    kind: "car",
    models: {
      car: [
        "Mustang",
        "Focus",
        "Fusion",
        "Taurus",
        "Crown Victoria",
        "Thunderbird",
        "Fairlane",
        "Galaxie",
        "Model A",
        "Model T",
        "Fiesta",
        "Falcon",
        "Torino",
      ],
      truck: ["F-100", "F-150", "F-250", "F-350", "Ranger", "Maverick", "Super Duty", "Lightning"],
      suv: ["Bronco", "Explorer", "Expedition", "Escape", "Edge"],
      van: ["Transit", "Econoline", "E-350"],
    },
    modelAliases: { crownvic: "Crown Victoria", tbird: "Thunderbird", f1: "F-100" },
  },
  { name: "Genesis", kind: "car", weak: true, models: { car: ["G70", "G80", "G90"] } },
  {
    name: "GMC",
    kind: "truck",
    models: {
      truck: ["Sierra", "Canyon", "Sonoma"],
      suv: ["Yukon", "Acadia", "Jimmy", "Envoy"],
      van: ["Savana", "Vandura"],
    },
  },
  {
    name: "Honda",
    kind: "car",
    aliases: ["hondda"],
    models: {
      car: ["Civic", "Accord", "Fit", "Prelude", "Insight", "S2000"],
      suv: ["CR-V", "HR-V", "Pilot", "Passport"],
      van: ["Odyssey"],
      truck: ["Ridgeline"],
      motorcycle: ["Shadow", "Gold Wing", "Rebel", "CBR", "VTX", "Fury"],
    },
    modelAliases: { goldwing: "Gold Wing" },
  },
  { name: "Hummer", kind: "suv", models: { suv: ["H1", "H2", "H3"] } },
  {
    name: "Hyundai",
    kind: "car",
    models: { car: ["Elantra", "Sonata", "Accent", "Veloster"], suv: ["Tucson", "Santa Fe", "Palisade"] },
  },
  { name: "Infiniti", kind: "car", models: { car: ["G35", "G37", "Q50"], suv: ["QX60", "QX80"] } },
  {
    name: "International",
    kind: "truck",
    weak: true,
    aliases: ["international harvester"],
    models: { suv: ["Scout"] },
  },
  { name: "Jaguar", kind: "car", aliases: ["jag"], models: { car: ["XJ", "XK", "XJ6", "E-Type", "XF"] } },
  {
    name: "Jeep",
    kind: "suv",
    models: {
      suv: [
        "Wrangler",
        "Grand Cherokee",
        "Cherokee",
        "Compass",
        "Liberty",
        "CJ5",
        "CJ7",
        "Wagoneer",
        "Renegade",
      ],
      truck: ["Gladiator"],
    },
  },
  {
    name: "Kia",
    kind: "car",
    models: {
      car: ["Optima", "Forte", "Soul", "Rio", "K5", "Stinger"],
      suv: ["Sorento", "Sportage", "Telluride"],
      van: ["Sedona", "Carnival"],
    },
  },
  { name: "Lamborghini", kind: "car" },
  {
    name: "Land Rover",
    kind: "suv",
    aliases: ["range rover", "landrover"],
    models: { suv: ["Defender", "Discovery", "LR4", "Evoque"] },
  },
  {
    name: "Lexus",
    kind: "car",
    models: { car: ["ES 350", "IS 250", "LS 400", "GS"], suv: ["RX 350", "GX 460", "LX 570"] },
  },
  {
    name: "Lincoln",
    kind: "car",
    models: { car: ["Town Car", "Continental", "MKZ", "Mark VIII"], suv: ["Navigator", "Aviator"] },
  },
  { name: "Lotus", kind: "car", weak: true },
  { name: "Maserati", kind: "car" },
  {
    name: "Mazda",
    kind: "car",
    aliases: ["madza"],
    models: {
      car: ["Miata", "MX-5", "Mazda3", "Mazda6", "RX-7", "RX-8"],
      suv: ["CX-5", "CX-9"],
      truck: ["B2300"],
    },
  },
  {
    name: "Mercedes-Benz",
    kind: "car",
    aliases: ["mercedes", "benz", "merc", "merz", "mercedez"],
    models: {
      car: ["C-Class", "E-Class", "S-Class", "SL", "SLK", "CLK", "C300", "E350", "450SL", "280SL"],
      suv: ["G-Class", "GLE", "ML350"],
      van: ["Sprinter"],
    },
    modelAliases: { gwagon: "G-Class" },
  },
  {
    name: "Mercury",
    kind: "car",
    weak: true,
    models: { car: ["Cougar", "Grand Marquis", "Marauder", "Comet"] },
  },
  { name: "Mini", kind: "car", weak: true, models: { car: ["Cooper", "Countryman", "Clubman"] } },
  {
    name: "Mitsubishi",
    kind: "car",
    models: { car: ["Lancer", "Eclipse", "Galant", "3000GT"], suv: ["Outlander", "Montero"] },
  },
  {
    name: "Nissan",
    kind: "car",
    models: {
      car: ["Altima", "Sentra", "Maxima", "Versa", "350Z", "370Z", "GT-R", "Skyline"],
      truck: ["Frontier", "Titan"],
      suv: ["Rogue", "Pathfinder", "Murano", "Armada", "Xterra"],
      van: ["Quest", "NV200"],
    },
  },
  {
    name: "Oldsmobile",
    kind: "car",
    aliases: ["olds"],
    models: { car: ["Cutlass", "442", "Delta 88", "Toronado", "Ninety-Eight"] },
  },
  {
    name: "Plymouth",
    kind: "car",
    models: { car: ["Barracuda", "Road Runner", "Fury", "Duster", "Valiant", "GTX"] },
  },
  {
    name: "Pontiac",
    kind: "car",
    models: {
      car: ["Firebird", "Trans Am", "GTO", "Grand Prix", "Bonneville", "Fiero", "LeMans", "Catalina"],
    },
  },
  {
    name: "Porsche",
    kind: "car",
    aliases: ["porshe"],
    models: { car: ["911", "Boxster", "Cayman", "944", "928", "356"], suv: ["Cayenne", "Macan"] },
  },
  { name: "Ram", kind: "truck", weak: true, models: { truck: ["1500", "2500", "3500"], van: ["ProMaster"] } },
  { name: "Rolls-Royce", kind: "car" },
  { name: "Saab", kind: "car", models: { car: ["900", "9-3", "9-5"] } },
  { name: "Saturn", kind: "car", weak: true },
  { name: "Scion", kind: "car", models: { car: ["tC", "xB", "FR-S"] } },
  {
    name: "Subaru",
    kind: "car",
    models: { car: ["Impreza", "WRX", "Legacy", "BRZ"], suv: ["Outback", "Forester", "Crosstrek", "Ascent"] },
  },
  {
    name: "Tesla",
    kind: "car",
    models: { car: ["Model S", "Model 3"], suv: ["Model X", "Model Y"], truck: ["Cybertruck"] },
  },
  {
    name: "Toyota",
    kind: "car",
    aliases: ["toyta", "toyoda"],
    models: {
      car: ["Camry", "Corolla", "Prius", "Avalon", "Supra", "Celica", "MR2"],
      truck: ["Tacoma", "Tundra", "Hilux"],
      suv: ["4Runner", "RAV4", "Highlander", "Land Cruiser", "Sequoia", "FJ Cruiser"],
      van: ["Sienna"],
    },
  },
  {
    name: "Volkswagen",
    kind: "car",
    aliases: ["vw", "volkswagon", "volks"],
    models: {
      car: ["Beetle", "Golf", "Jetta", "Passat", "GTI", "Karmann Ghia", "Rabbit"],
      suv: ["Tiguan", "Atlas", "Touareg"],
      van: ["Bus", "Vanagon", "Westfalia"],
    },
    modelAliases: { bug: "Beetle" },
  },
  {
    name: "Volvo",
    kind: "car",
    models: { car: ["240", "740", "S60", "V70", "P1800"], suv: ["XC90", "XC60"] },
  },
  // Motorcycles
  {
    name: "Harley-Davidson",
    kind: "motorcycle",
    aliases: ["harley", "harly", "harleydavidson"],
    models: {
      motorcycle: [
        "Sportster",
        "Softail",
        "Dyna",
        "Road King",
        "Street Glide",
        "Road Glide",
        "Electra Glide",
        "Fat Boy",
        "Heritage Softail",
        "Street Bob",
        "Ultra Limited",
        "Iron 883",
      ],
    },
  },
  {
    name: "Indian",
    kind: "motorcycle",
    weak: true,
    models: { motorcycle: ["Chief", "Scout", "Chieftain", "Roadmaster"] },
  },
  {
    name: "Ducati",
    kind: "motorcycle",
    models: { motorcycle: ["Monster", "Panigale", "Scrambler", "Multistrada"] },
  },
  {
    name: "Triumph",
    kind: "motorcycle",
    weak: true,
    models: { motorcycle: ["Bonneville", "Thruxton", "Speed Triple", "Rocket 3"] },
  },
  {
    name: "Kawasaki",
    kind: "motorcycle",
    aliases: ["kawi"],
    models: { motorcycle: ["Ninja", "Vulcan", "Z900", "KLR650"] },
  },
  // Golf carts: their own makers, item type "other".
  {
    name: "Club Car",
    kind: "other",
    aliases: ["clubcar"],
    models: { other: ["Onward", "Precedent", "DS", "Tempo", "Villager", "Carryall"] },
  },
  {
    name: "E-Z-GO",
    kind: "other",
    aliases: ["ezgo", "ez-go", "ez go", "e z go"],
    models: { other: ["TXT", "RXV", "Valor", "Liberty", "Express", "Freedom"] },
  },
  {
    name: "Yamaha",
    kind: "motorcycle",
    models: {
      motorcycle: ["V Star", "Bolt", "R1", "R6", "Road Star", "Virago"],
      boat: ["WaveRunner", "AR195", "242X"],
      other: ["Drive2", "Drive"],
    },
  },
  {
    name: "Suzuki",
    kind: "motorcycle",
    models: {
      motorcycle: ["Hayabusa", "GSX-R", "Boulevard", "Intruder", "V-Strom"],
      car: ["Samurai", "Sidekick"],
    },
  },
  {
    name: "Victory",
    kind: "motorcycle",
    weak: true,
    models: { motorcycle: ["Vegas", "Cross Country", "Vision"] },
  },
  { name: "KTM", kind: "motorcycle" },
  { name: "Can-Am", kind: "motorcycle", models: { motorcycle: ["Spyder", "Ryker"] } },
  { name: "Royal Enfield", kind: "motorcycle" },
  { name: "Moto Guzzi", kind: "motorcycle" },
  // Boats and personal watercraft
  {
    name: "Sea Ray",
    kind: "boat",
    aliases: ["searay"],
    models: { boat: ["Sundancer", "SPX", "SLX", "Sundeck"] },
  },
  { name: "Bayliner", kind: "boat", models: { boat: ["Capri", "Element", "VR5", "Trophy"] } },
  {
    name: "Boston Whaler",
    kind: "boat",
    aliases: ["whaler"],
    models: { boat: ["Montauk", "Outrage", "Dauntless"] },
  },
  { name: "MasterCraft", kind: "boat", models: { boat: ["X-Star", "ProStar", "XT22"] } },
  { name: "Malibu", kind: "boat", weak: true, models: { boat: ["Wakesetter", "Response"] } },
  { name: "Chaparral", kind: "boat" },
  { name: "Tracker", kind: "boat", weak: true, models: { boat: ["Pro Team", "Targa"] } },
  {
    name: "Sun Tracker",
    kind: "boat",
    aliases: ["suntracker"],
    models: { boat: ["Party Barge", "Fishin' Barge"] },
  },
  { name: "Bennington", kind: "boat" },
  { name: "Lund", kind: "boat", weak: true },
  { name: "Ranger", kind: "boat", weak: true },
  { name: "Cobalt", kind: "boat", weak: true },
  { name: "Grady-White", kind: "boat" },
  { name: "Chris-Craft", kind: "boat", aliases: ["chriscraft"] },
  { name: "Four Winns", kind: "boat", aliases: ["fourwinns"] },
  { name: "Larson", kind: "boat" },
  { name: "Glastron", kind: "boat" },
  { name: "Regal", kind: "boat", weak: true },
  { name: "Crestliner", kind: "boat" },
  { name: "Starcraft", kind: "boat" },
  { name: "Alumacraft", kind: "boat" },
  { name: "Nautique", kind: "boat" },
  { name: "Sea-Doo", kind: "boat", aliases: ["seadoo"] },
  // RVs and campers
  {
    name: "Winnebago",
    kind: "rv",
    models: { rv: ["Minnie Winnie", "View", "Vista", "Adventurer", "Brave", "Travato"] },
  },
  {
    name: "Airstream",
    kind: "rv",
    models: { rv: ["Bambi", "Flying Cloud", "Classic", "Basecamp", "Caravel", "Interstate"] },
  },
  { name: "Jayco", kind: "rv", models: { rv: ["Jay Flight", "Eagle", "Greyhawk", "Redhawk"] } },
  {
    name: "Fleetwood",
    kind: "rv",
    weak: true,
    models: { rv: ["Bounder", "Southwind", "Pace Arrow", "Discovery"] },
  },
  { name: "Coachmen", kind: "rv", models: { rv: ["Freelander", "Leprechaun", "Catalina"] } },
  { name: "Thor", kind: "rv", weak: true, models: { rv: ["Four Winds", "Ace", "Chateau"] } },
  { name: "Forest River", kind: "rv", models: { rv: ["Sunseeker", "Rockwood", "Cherokee", "Salem"] } },
  { name: "Keystone", kind: "rv", weak: true, models: { rv: ["Cougar", "Montana", "Outback"] } },
  { name: "Tiffin", kind: "rv", models: { rv: ["Allegro", "Phaeton", "Open Road"] } },
  { name: "Newmar", kind: "rv", models: { rv: ["Dutch Star", "Bay Star"] } },
  { name: "Holiday Rambler", kind: "rv" },
  { name: "Grand Design", kind: "rv", weak: true, models: { rv: ["Reflection", "Solitude", "Imagine"] } },
  { name: "Heartland", kind: "rv", weak: true },
  { name: "Dutchmen", kind: "rv" },
  { name: "Entegra", kind: "rv" },
  { name: "Shasta", kind: "rv", weak: true },
  { name: "Casita", kind: "rv" },
];

/**
 * Models that are also everyday words or places; they name a vehicle only after their make
 * ("my focus is...", "colorado" alone are not cars).
 */
export const MODELS_NEEDING_MAKE: ReadonlySet<string> = new Set(
  (
    "focus escape edge fit pilot passport accord element insight express spark soul rio golf rabbit " +
    "titan frontier compass liberty renegade charger challenger ranger tracker transit sierra legacy " +
    "outback ascent quest armada durango dakota taurus fusion maverick lightning suburban blazer equinox " +
    "traverse colorado avalanche caprice canyon yukon acadia envoy jimmy bus atlas view vista eagle brave " +
    "classic interstate ace chateau cherokee salem montana cougar allegro discovery defender chief scout " +
    "monster vegas vision bolt fury rebel shadow capri trophy response reflection solitude imagine " +
    "bambi 300 500 510 900 240 740 911 944 928 356 442 1500 2500 3500 spider continental catalina " +
    "century legend dart neon cooper models expedition prelude riviera seville falcon torino rogue forte stinger " +
    "telluride sedona carnival santafe tucson accent palisade navigator aviator comet eclipse barracuda " +
    "roadrunner duster valiant grandprix tacoma tundra sequoia sienna scrambler vulcan boulevard intruder " +
    "montauk outrage dauntless leprechaun adventurer basecamp viper txt ds drive express freedom liberty valor"
  ).split(" "),
);
