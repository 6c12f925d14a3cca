/**
 * Personal names for synthetic casualties, nations F to L:
 * FIN, FRA, GBR, GRC, HRV, HUN, ISL, ITA, LTU, LUX, LVA.
 */

import type { NationNames } from './nation-names.js';

/** Finland: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const FIN_FAMILY: readonly string[] = [
  'Korhonen', 'Virtanen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen',
  'Järvinen', 'Lehtonen', 'Lehtinen', 'Saarinen', 'Salminen', 'Heinonen', 'Niemi', 'Heikkilä', 'Kinnunen',
  'Salonen', 'Turunen', 'Salo', 'Laitinen', 'Tuominen', 'Rantanen', 'Karjalainen', 'Jokinen', 'Mattila',
  'Savolainen', 'Lahtinen', 'Ahonen', 'Hiltunen', 'Leinonen', 'Miettinen', 'Pitkänen', 'Räsänen', 'Kallio',
  'Lappalainen', 'Aaltonen', 'Hirvonen', 'Toivonen', 'Manninen', 'Anttila', 'Leppänen', 'Peltonen',
  'Huttunen', 'Väisänen', 'Laaksonen', 'Kettunen', 'Hakala', 'Laakso',
];

/** France: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const FRA_FAMILY: readonly string[] = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent',
  'Simon', 'Michel', 'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard',
  'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefèvre', 'Faure', 'André',
  'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia',
  'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson',
];

/** United Kingdom: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const GBR_FAMILY: readonly string[] = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson',
  'Roberts', 'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall',
  'Lewis', 'Harris', 'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward',
  'Morris', 'Moore', 'Clark', 'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen', 'James', 'Scott',
  'Phillips', 'Watson', 'Davis', 'Parker', 'Price', 'Bennett', 'Young', 'Griffiths', 'Mitchell', 'Kelly',
  'Campbell', 'Stewart', 'MacDonald', 'Murray', "O'Brien", 'Reid', 'Fraser',
];

/** Croatia: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const HRV_FAMILY: readonly string[] = [
  'Horvat', 'Kovačević', 'Babić', 'Marić', 'Jurić', 'Novak', 'Kovačić', 'Knežević', 'Vuković', 'Marković',
  'Petrović', 'Matić', 'Tomić', 'Pavlović', 'Kovač', 'Božić', 'Blažević', 'Grgić', 'Pavić', 'Radić', 'Perić',
  'Filipović', 'Šarić', 'Lovrić', 'Vidović', 'Perković', 'Popović', 'Bošnjak', 'Jukić', 'Barišić', 'Mandić',
  'Nikolić', 'Klarić', 'Šimić', 'Matijević', 'Josipović', 'Lukić', 'Brkić', 'Tadić', 'Ivanković', 'Rukavina',
  'Šimunović', 'Bašić', 'Galić', 'Kolar', 'Martinović', 'Vrdoljak', 'Herceg', 'Jovanović', 'Pranjić',
  'Grubišić',
];

/** Hungary: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const HUN_FAMILY: readonly string[] = [
  'Nagy', 'Kovács', 'Tóth', 'Szabó', 'Horváth', 'Varga', 'Kiss', 'Molnár', 'Németh', 'Farkas', 'Balogh',
  'Papp', 'Takács', 'Juhász', 'Lakatos', 'Mészáros', 'Oláh', 'Simon', 'Rácz', 'Fekete', 'Szilágyi', 'Török',
  'Fehér', 'Balázs', 'Gál', 'Kis', 'Szűcs', 'Kocsis', 'Orsós', 'Pintér', 'Fodor', 'Szalai', 'Sipos', 'Magyar',
  'Lukács', 'Gulyás', 'Biró', 'Király', 'Balog', 'László', 'Katona', 'Jakab', 'Bogdán', 'Sándor', 'Boros',
  'Fazekas', 'Kelemen', 'Antal', 'Orosz', 'Somogyi', 'Fülöp', 'Veres', 'Vincze', 'Hegedűs',
];

/** Italy: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const ITA_FAMILY: readonly string[] = [
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco',
  'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti',
  'Barbieri', 'Fontana', 'Santoro', 'Mariani', 'Rinaldi', 'Caruso', 'Ferrara', 'Galli', 'Martini', 'Leone',
  'Longo', 'Gentile', 'Martinelli', 'Vitale', 'Lombardo', 'Serra', 'Coppola', 'De Santis', "D'Angelo",
  'Marchetti', 'Parisi', 'Villa', 'Conte', 'Ferraro', 'Ferri', 'Fabbri', 'Bianco', 'Marini', 'Grasso',
  'Valentini', 'Messina', 'Sala', 'De Angelis',
];

/** Luxembourg: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const LUX_FAMILY: readonly string[] = [
  'Schmit', 'Muller', 'Weber', 'Hoffmann', 'Wagner', 'Thill', 'Schmitz', 'Schroeder', 'Reuter', 'Klein',
  'Becker', 'Kieffer', 'Kremer', 'Faber', 'Meyer', 'Schiltz', 'Welter', 'Weis', 'Hansen', 'Majerus', 'Ries',
  'Meyers', 'Lentz', 'Wagener', 'Herrmann', 'Kayser', 'Steichen', 'Ney', 'Goergen', 'Kirsch', 'Marx',
  'Mergen', 'Frisch', 'Kohn', 'Thommes', 'Feller', 'Hilbert', 'Bernard', 'Martin', 'Dupont', 'Lambert',
  'Dos Santos', 'Da Silva', 'Pereira', 'Ferreira', 'Fernandes', 'Rodrigues', 'Gonçalves', 'Lopes', 'Alves',
  'Martins', 'Oliveira',
];

// biome-ignore format: compact multi-name lines keep the reference data readable
export const NATION_NAMES_F_L: readonly NationNames[] = [
  {
    code: 'FIN',
    name: 'Finland',
    nato: true,
    given: {
      male: [
        'Mikko', 'Juha', 'Timo', 'Matti', 'Jari', 'Antti', 'Jukka', 'Sami', 'Janne', 'Mika', 'Ville',
        'Tuomas', 'Jussi', 'Pekka', 'Markku', 'Petri', 'Marko', 'Teemu', 'Joni', 'Tommi', 'Lauri', 'Aleksi',
        'Joonas', 'Juho', 'Eero', 'Olli', 'Henri', 'Niko', 'Jaakko', 'Ilkka', 'Kari', 'Heikki', 'Jani',
        'Tero', 'Kalle', 'Lassi', 'Elias', 'Onni', 'Veeti', 'Eetu', 'Otto', 'Arttu', 'Joel', 'Oskari',
        'Valtteri', 'Ossi', 'Sakari', 'Toni', 'Risto', 'Kimmo',
      ],
      female: [
        'Anna', 'Maria', 'Laura', 'Johanna', 'Sanna', 'Hanna', 'Katja', 'Minna', 'Elina', 'Heidi', 'Jenni',
        'Riikka', 'Susanna', 'Tiina', 'Päivi', 'Sari', 'Anne', 'Kirsi', 'Marika', 'Emmi', 'Aino', 'Venla',
        'Iida', 'Sofia', 'Emilia', 'Aada', 'Ella', 'Jenna', 'Noora', 'Essi', 'Milla', 'Salla', 'Suvi', 'Satu',
        'Pia', 'Hanne', 'Outi', 'Merja', 'Mervi', 'Anu', 'Tuuli', 'Veera', 'Roosa', 'Inka', 'Elsa', 'Kaisa',
        'Katariina', 'Henna', 'Niina', 'Eveliina',
      ],
    },
    family: { male: FIN_FAMILY, female: FIN_FAMILY },
  },
  {
    code: 'FRA',
    name: 'France',
    nato: true,
    given: {
      male: [
        'Thomas', 'Nicolas', 'Julien', 'Maxime', 'Alexandre', 'Antoine', 'Kevin', 'Romain', 'Guillaume',
        'Pierre', 'Mathieu', 'Sébastien', 'Florian', 'Jérémy', 'Anthony', 'Vincent', 'Benjamin', 'Clément',
        'Quentin', 'Lucas', 'Hugo', 'Théo', 'Louis', 'Arthur', 'Paul', 'Valentin', 'Adrien', 'Baptiste',
        'Jonathan', 'Olivier', 'Cédric', 'Stéphane', 'David', 'Christophe', 'Laurent', 'Frédéric', 'Damien',
        'Jérôme', 'Yannick', 'Grégory', 'Loïc', 'Mickaël', 'Fabien', 'Benoît', 'Thibault', 'Matthieu',
        'Raphaël', 'Corentin', 'Simon', 'Dylan',
      ],
      female: [
        'Marie', 'Camille', 'Julie', 'Laura', 'Sarah', 'Manon', 'Léa', 'Chloé', 'Emma', 'Pauline', 'Marine',
        'Mathilde', 'Céline', 'Aurélie', 'Émilie', 'Élodie', 'Audrey', 'Mélanie', 'Caroline', 'Sandrine',
        'Nathalie', 'Stéphanie', 'Isabelle', 'Virginie', 'Sophie', 'Charlotte', 'Anaïs', 'Clara', 'Inès',
        'Justine', 'Océane', 'Lucie', 'Margaux', 'Amandine', 'Morgane', 'Jessica', 'Sabrina', 'Vanessa',
        'Laetitia', 'Élise', 'Juliette', 'Alice', 'Claire', 'Hélène', 'Anne', 'Valérie', 'Aurore', 'Coralie',
        'Delphine', 'Estelle',
      ],
    },
    family: { male: FRA_FAMILY, female: FRA_FAMILY },
  },
  {
    code: 'GBR',
    name: 'United Kingdom',
    nato: true,
    given: {
      male: [
        'James', 'David', 'Daniel', 'Thomas', 'Michael', 'Christopher', 'Matthew', 'Andrew', 'Jack', 'Joshua',
        'Ryan', 'Luke', 'Adam', 'Benjamin', 'Samuel', 'Oliver', 'Harry', 'William', 'Jamie', 'Lewis',
        'Callum', 'Liam', 'Connor', 'Jordan', 'Mark', 'Paul', 'Richard', 'Robert', 'Stephen', 'Simon',
        'Craig', 'Gareth', 'Rhys', 'Dylan', 'Owen', 'Aaron', 'Scott', 'Kieran', 'Nathan', 'Alexander',
        'George', 'Joseph', 'Jake', 'Jonathan', 'Stuart', 'Neil', 'Gavin', 'Ross', 'Declan', 'Niall', 'Euan',
        'Alistair', 'Dean', 'Lee', 'Jason', 'Darren',
      ],
      female: [
        'Sarah', 'Emma', 'Laura', 'Rebecca', 'Hannah', 'Charlotte', 'Jessica', 'Sophie', 'Amy', 'Lauren',
        'Emily', 'Katie', 'Rachel', 'Gemma', 'Claire', 'Nicola', 'Kelly', 'Lisa', 'Victoria', 'Stephanie',
        'Natalie', 'Jennifer', 'Louise', 'Joanne', 'Helen', 'Michelle', 'Amanda', 'Kirsty', 'Zoe', 'Chloe',
        'Megan', 'Olivia', 'Lucy', 'Georgia', 'Holly', 'Bethany', 'Eleanor', 'Abigail', 'Jade', 'Leanne',
        'Kerry', 'Samantha', 'Catherine', 'Fiona', 'Siobhan', 'Rhiannon', 'Caitlin', 'Eilidh', 'Ffion',
        'Danielle', 'Alice',
      ],
    },
    family: { male: GBR_FAMILY, female: GBR_FAMILY },
  },
  {
    code: 'GRC',
    name: 'Greece',
    nato: true,
    given: {
      male: [
        'Georgios', 'Ioannis', 'Konstantinos', 'Dimitrios', 'Nikolaos', 'Panagiotis', 'Vasileios', 'Christos',
        'Athanasios', 'Michail', 'Evangelos', 'Spyridon', 'Antonios', 'Anastasios', 'Theodoros', 'Andreas',
        'Charalampos', 'Stylianos', 'Emmanouil', 'Ilias', 'Alexandros', 'Petros', 'Sotirios', 'Eleftherios',
        'Apostolos', 'Stavros', 'Kyriakos', 'Thomas', 'Efstathios', 'Gerasimos', 'Dionysios', 'Marios',
        'Fotios', 'Angelos', 'Stefanos', 'Aristeidis', 'Filippos', 'Pavlos', 'Leonidas', 'Periklis',
        'Sokratis', 'Achilleas', 'Prodromos', 'Zacharias', 'Markos', 'Lampros', 'Chrysovalantis',
        'Panteleimon',
      ],
      female: [
        'Maria', 'Eleni', 'Aikaterini', 'Vasiliki', 'Sofia', 'Angeliki', 'Georgia', 'Dimitra', 'Konstantina',
        'Paraskevi', 'Anastasia', 'Christina', 'Evangelia', 'Ioanna', 'Eirini', 'Panagiota', 'Athanasia',
        'Nikoletta', 'Despoina', 'Chrysoula', 'Stavroula', 'Alexandra', 'Theodora', 'Kalliopi', 'Efthymia',
        'Magdalini', 'Styliani', 'Foteini', 'Antonia', 'Androniki', 'Zoi', 'Myrto', 'Danai', 'Marina', 'Anna',
        'Argyro', 'Eftychia', 'Charikleia', 'Olga', 'Spyridoula', 'Ourania', 'Kyriaki', 'Areti', 'Evanthia',
        'Varvara', 'Chrysanthi', 'Ismini', 'Pinelopi',
      ],
    },
    family: {
      male: [
        'Papadopoulos', 'Papadakis', 'Georgiou', 'Oikonomou', 'Papageorgiou', 'Vasileiou', 'Nikolaou',
        'Karagiannis', 'Dimitriou', 'Ioannou', 'Konstantinou', 'Makris', 'Pappas', 'Papanikolaou', 'Antoniou',
        'Christodoulou', 'Alexiou', 'Triantafyllou', 'Athanasiou', 'Michailidis', 'Georgiadis',
        'Papadimitriou', 'Vlachos', 'Angelopoulos', 'Nikolopoulos', 'Panagiotopoulos', 'Konstantinidis',
        'Ioannidis', 'Theodorou', 'Kyriakou', 'Stavropoulos', 'Dimopoulos', 'Athanasopoulos', 'Mavridis',
        'Lamprou', 'Kontos', 'Markou', 'Christou', 'Petropoulos', 'Anagnostou', 'Spyropoulos', 'Katsaros',
        'Zervas', 'Tsakiris', 'Apostolou', 'Galanis', 'Kostopoulos', 'Samaras', 'Chatzis', 'Giannopoulos',
        'Raptis', 'Vlachopoulos',
      ],
      female: [
        'Papadopoulou', 'Papadaki', 'Georgiou', 'Oikonomou', 'Papageorgiou', 'Vasileiou', 'Nikolaou',
        'Karagianni', 'Dimitriou', 'Ioannou', 'Konstantinou', 'Makri', 'Pappa', 'Papanikolaou', 'Antoniou',
        'Christodoulou', 'Alexiou', 'Triantafyllou', 'Athanasiou', 'Michailidou', 'Georgiadou',
        'Papadimitriou', 'Vlachou', 'Angelopoulou', 'Nikolopoulou', 'Panagiotopoulou', 'Konstantinidou',
        'Ioannidou', 'Theodorou', 'Kyriakou', 'Stavropoulou', 'Dimopoulou', 'Athanasopoulou', 'Mavridou',
        'Lamprou', 'Kontou', 'Markou', 'Christou', 'Petropoulou', 'Anagnostou', 'Spyropoulou', 'Katsarou',
        'Zerva', 'Tsakiri', 'Apostolou', 'Galani', 'Kostopoulou', 'Samara', 'Chatzi', 'Giannopoulou', 'Rapti',
        'Vlachopoulou',
      ],
    },
  },
  {
    code: 'HRV',
    name: 'Croatia',
    nato: true,
    given: {
      male: [
        'Ivan', 'Marko', 'Luka', 'Josip', 'Ante', 'Tomislav', 'Mario', 'Hrvoje', 'Matej', 'Petar', 'Filip',
        'Domagoj', 'Dario', 'Goran', 'Zoran', 'Krešimir', 'Igor', 'Damir', 'Davor', 'Nikola', 'Stjepan',
        'Mateo', 'Antonio', 'Dominik', 'Karlo', 'Marin', 'Boris', 'Dražen', 'Zvonimir', 'Darko', 'Saša',
        'Vedran', 'Tin', 'Bruno', 'Fran', 'Jakov', 'Lovro', 'Mislav', 'Robert', 'Dejan', 'Denis', 'Siniša',
        'Slaven', 'Toni', 'Vladimir', 'Željko', 'Nenad', 'Kristijan', 'Branimir', 'Dino', 'Borna',
      ],
      female: [
        'Ana', 'Marija', 'Ivana', 'Petra', 'Martina', 'Maja', 'Kristina', 'Lucija', 'Katarina', 'Anamarija',
        'Josipa', 'Mateja', 'Nikolina', 'Ivona', 'Sara', 'Lana', 'Marina', 'Andrea', 'Tea', 'Dora', 'Paula',
        'Antonija', 'Helena', 'Iva', 'Jelena', 'Sanja', 'Mirela', 'Ines', 'Barbara', 'Tihana', 'Valentina',
        'Dijana', 'Gordana', 'Snježana', 'Tamara', 'Mia', 'Laura', 'Lea', 'Klara', 'Magdalena', 'Vesna',
        'Željka', 'Danijela', 'Marta', 'Nina', 'Tena', 'Karla', 'Ena', 'Ružica', 'Matea',
      ],
    },
    family: { male: HRV_FAMILY, female: HRV_FAMILY },
  },
  {
    code: 'HUN',
    name: 'Hungary',
    nato: true,
    given: {
      male: [
        'László', 'István', 'József', 'János', 'Zoltán', 'Sándor', 'Gábor', 'Ferenc', 'Attila', 'Péter',
        'Tamás', 'Zsolt', 'Tibor', 'András', 'Csaba', 'Imre', 'Lajos', 'György', 'Balázs', 'Róbert', 'Márk',
        'Dániel', 'Ádám', 'Krisztián', 'Norbert', 'Dávid', 'Bence', 'Máté', 'Gergő', 'Levente', 'Roland',
        'Richárd', 'Viktor', 'Miklós', 'Szabolcs', 'Gyula', 'Károly', 'Mihály', 'Kristóf', 'Barnabás',
        'Dominik', 'Patrik', 'Martin', 'Milán', 'Bálint', 'Benedek', 'Marcell', 'Olivér', 'Ákos', 'Endre',
      ],
      female: [
        'Mária', 'Erzsébet', 'Katalin', 'Éva', 'Ilona', 'Anna', 'Zsuzsanna', 'Margit', 'Judit', 'Ágnes',
        'Andrea', 'Erika', 'Krisztina', 'Mónika', 'Edit', 'Gabriella', 'Szilvia', 'Anita', 'Eszter', 'Tímea',
        'Nikoletta', 'Viktória', 'Zsófia', 'Dóra', 'Anikó', 'Beáta', 'Hajnalka', 'Brigitta', 'Réka', 'Petra',
        'Boglárka', 'Fanni', 'Lilla', 'Noémi', 'Vivien', 'Kitti', 'Dorina', 'Klaudia', 'Csilla', 'Orsolya',
        'Rita', 'Enikő', 'Ildikó', 'Veronika', 'Barbara', 'Alexandra', 'Henrietta', 'Rebeka', 'Bianka',
        'Nóra',
      ],
    },
    family: { male: HUN_FAMILY, female: HUN_FAMILY },
  },
  {
    code: 'ISL',
    name: 'Iceland',
    nato: true,
    given: {
      male: [
        'Jón', 'Sigurður', 'Guðmundur', 'Gunnar', 'Ólafur', 'Einar', 'Kristján', 'Magnús', 'Stefán', 'Jóhann',
        'Björn', 'Árni', 'Helgi', 'Páll', 'Halldór', 'Þórður', 'Bjarni', 'Ragnar', 'Arnar', 'Kristinn',
        'Haraldur', 'Daníel', 'Davíð', 'Aron', 'Alexander', 'Guðjón', 'Hilmar', 'Viktor', 'Atli', 'Birgir',
        'Elvar', 'Egill', 'Eiríkur', 'Friðrik', 'Gísli', 'Hafþór', 'Ingólfur', 'Jónas', 'Karl', 'Óskar',
        'Pétur', 'Róbert', 'Sigurjón', 'Snorri', 'Sveinn', 'Tómas', 'Valur', 'Þorsteinn', 'Ævar', 'Sindri',
      ],
      female: [
        'Guðrún', 'Anna', 'Kristín', 'Sigríður', 'Margrét', 'Helga', 'Sigrún', 'Ingibjörg', 'Jóhanna',
        'María', 'Katrín', 'Elín', 'Hildur', 'Sara', 'Eva', 'Ásta', 'Guðbjörg', 'Ragnheiður', 'Kolbrún',
        'Bryndís', 'Hulda', 'Sólveig', 'Þórunn', 'Halldóra', 'Hrafnhildur', 'Steinunn', 'Erla', 'Birna',
        'Berglind', 'Ragnhildur', 'Hanna', 'Lilja', 'Rakel', 'Freyja', 'Eydís', 'Elísabet', 'Auður', 'Dagný',
        'Edda', 'Harpa', 'Íris', 'Karen', 'Þóra', 'Unnur', 'Valgerður', 'Björk', 'Bergþóra', 'Arna', 'Agnes',
        'Andrea',
      ],
    },
    family: {
      male: [
        'Jónsson', 'Sigurðsson', 'Guðmundsson', 'Gunnarsson', 'Ólafsson', 'Einarsson', 'Kristjánsson',
        'Magnússon', 'Stefánsson', 'Jóhannsson', 'Björnsson', 'Árnason', 'Helgason', 'Pálsson', 'Halldórsson',
        'Þórðarson', 'Bjarnason', 'Ragnarsson', 'Arnarson', 'Kristinsson', 'Haraldsson', 'Guðjónsson',
        'Birgisson', 'Eiríksson', 'Friðriksson', 'Gíslason', 'Jónasson', 'Karlsson', 'Óskarsson', 'Pétursson',
        'Sigurjónsson', 'Sveinsson', 'Tómasson', 'Þorsteinsson', 'Hilmarsson', 'Atlason', 'Egilsson',
        'Davíðsson', 'Daníelsson', 'Hauksson', 'Þorvaldsson', 'Ásgeirsson', 'Benediktsson', 'Valdimarsson',
        'Sigmundsson', 'Hjartarson', 'Baldursson', 'Ingólfsson', 'Snorrason', 'Viðarsson',
      ],
      female: [
        'Jónsdóttir', 'Sigurðardóttir', 'Guðmundsdóttir', 'Gunnarsdóttir', 'Ólafsdóttir', 'Einarsdóttir',
        'Kristjánsdóttir', 'Magnúsdóttir', 'Stefánsdóttir', 'Jóhannsdóttir', 'Björnsdóttir', 'Árnadóttir',
        'Helgadóttir', 'Pálsdóttir', 'Halldórsdóttir', 'Þórðardóttir', 'Bjarnadóttir', 'Ragnarsdóttir',
        'Arnardóttir', 'Kristinsdóttir', 'Haraldsdóttir', 'Guðjónsdóttir', 'Birgisdóttir', 'Eiríksdóttir',
        'Friðriksdóttir', 'Gísladóttir', 'Jónasdóttir', 'Karlsdóttir', 'Óskarsdóttir', 'Pétursdóttir',
        'Sigurjónsdóttir', 'Sveinsdóttir', 'Tómasdóttir', 'Þorsteinsdóttir', 'Hilmarsdóttir', 'Atladóttir',
        'Egilsdóttir', 'Davíðsdóttir', 'Daníelsdóttir', 'Hauksdóttir', 'Þorvaldsdóttir', 'Ásgeirsdóttir',
        'Benediktsdóttir', 'Valdimarsdóttir', 'Sigmundsdóttir', 'Hjartardóttir', 'Baldursdóttir',
        'Ingólfsdóttir', 'Snorradóttir', 'Viðarsdóttir',
      ],
    },
  },
  {
    code: 'ITA',
    name: 'Italy',
    nato: true,
    given: {
      male: [
        'Marco', 'Andrea', 'Luca', 'Alessandro', 'Giuseppe', 'Francesco', 'Antonio', 'Matteo', 'Lorenzo',
        'Davide', 'Simone', 'Federico', 'Stefano', 'Roberto', 'Giovanni', 'Paolo', 'Fabio', 'Massimo',
        'Daniele', 'Riccardo', 'Gabriele', 'Mattia', 'Nicola', 'Emanuele', 'Michele', 'Salvatore', 'Vincenzo',
        'Mario', 'Alberto', 'Claudio', 'Enrico', 'Filippo', 'Giacomo', 'Leonardo', 'Tommaso', 'Pietro',
        'Cristian', 'Domenico', 'Raffaele', 'Gianluca', 'Alessio', 'Angelo', 'Diego', 'Edoardo', 'Samuele',
        'Manuel', 'Carmine', 'Luigi', 'Fabrizio', 'Valerio',
      ],
      female: [
        'Giulia', 'Francesca', 'Chiara', 'Sara', 'Martina', 'Valentina', 'Alessia', 'Federica', 'Elisa',
        'Silvia', 'Laura', 'Elena', 'Giorgia', 'Anna', 'Serena', 'Roberta', 'Ilaria', 'Paola', 'Simona',
        'Alessandra', 'Claudia', 'Monica', 'Barbara', 'Veronica', 'Cristina', 'Eleonora', 'Beatrice',
        'Camilla', 'Aurora', 'Alice', 'Noemi', 'Arianna', 'Valeria', 'Marta', 'Erika', 'Daniela', 'Michela',
        'Stefania', 'Manuela', 'Sofia', 'Jessica', 'Debora', 'Denise', 'Irene', 'Rebecca', 'Ludovica',
        'Benedetta', 'Greta', 'Nicoletta', 'Antonella',
      ],
    },
    family: { male: ITA_FAMILY, female: ITA_FAMILY },
  },
  {
    code: 'LTU',
    name: 'Lithuania',
    nato: true,
    given: {
      male: [
        'Tomas', 'Mantas', 'Lukas', 'Matas', 'Dominykas', 'Jonas', 'Andrius', 'Darius', 'Mindaugas', 'Marius',
        'Tadas', 'Paulius', 'Vytautas', 'Giedrius', 'Rimantas', 'Saulius', 'Aurimas', 'Justinas', 'Karolis',
        'Laurynas', 'Rokas', 'Deividas', 'Edvinas', 'Arnas', 'Ignas', 'Gytis', 'Kęstutis', 'Žygimantas',
        'Nerijus', 'Šarūnas', 'Algirdas', 'Audrius', 'Donatas', 'Evaldas', 'Gediminas', 'Linas', 'Povilas',
        'Ramūnas', 'Rolandas', 'Simonas', 'Vaidas', 'Vilius', 'Arūnas', 'Egidijus', 'Ernestas', 'Eimantas',
        'Julius', 'Kristupas', 'Modestas', 'Nojus', 'Arvydas',
      ],
      female: [
        'Rūta', 'Jurgita', 'Kristina', 'Inga', 'Laura', 'Agnė', 'Ieva', 'Aistė', 'Greta', 'Gabija', 'Austėja',
        'Eglė', 'Simona', 'Vaida', 'Lina', 'Rasa', 'Asta', 'Daiva', 'Jolanta', 'Violeta', 'Vilma', 'Rita',
        'Giedrė', 'Monika', 'Indrė', 'Viktorija', 'Ugnė', 'Justina', 'Gintarė', 'Kotryna', 'Milda', 'Neringa',
        'Sandra', 'Ingrida', 'Aušra', 'Birutė', 'Dovilė', 'Erika', 'Evelina', 'Jūratė', 'Lijana', 'Loreta',
        'Raminta', 'Renata', 'Skaistė', 'Toma', 'Urtė', 'Vaiva', 'Žaneta', 'Emilija',
      ],
    },
    family: {
      male: [
        'Kazlauskas', 'Jankauskas', 'Petrauskas', 'Stankevičius', 'Vasiliauskas', 'Žukauskas', 'Butkus',
        'Paulauskas', 'Urbonas', 'Kavaliauskas', 'Navickas', 'Ramanauskas', 'Savickas', 'Baranauskas',
        'Žilinskas', 'Rimkus', 'Sakalauskas', 'Lukoševičius', 'Adomaitis', 'Kairys', 'Mockus', 'Balčiūnas',
        'Vaitkus', 'Stonkus', 'Jonaitis', 'Kučinskas', 'Mikalauskas', 'Šimkus', 'Urbanavičius', 'Grigas',
        'Marcinkevičius', 'Vaičiulis', 'Bernotas', 'Pocius', 'Girdauskas', 'Kaminskas', 'Budrys', 'Žemaitis',
        'Jakštas', 'Mažeika', 'Tamošiūnas', 'Bagdonas', 'Kuzmickas', 'Norkus', 'Valančius', 'Ališauskas',
        'Kriščiūnas', 'Jurkus', 'Dambrauskas', 'Petraitis',
      ],
      female: [
        'Kazlauskienė', 'Jankauskaitė', 'Petrauskienė', 'Stankevičiūtė', 'Vasiliauskienė', 'Žukauskaitė',
        'Butkienė', 'Paulauskaitė', 'Urbonienė', 'Kavaliauskaitė', 'Navickienė', 'Ramanauskaitė',
        'Savickienė', 'Baranauskaitė', 'Žilinskienė', 'Rimkutė', 'Sakalauskienė', 'Lukoševičiūtė',
        'Adomaitienė', 'Kairytė', 'Mockienė', 'Balčiūnaitė', 'Vaitkienė', 'Stonkutė', 'Jonaitienė',
        'Kučinskaitė', 'Mikalauskienė', 'Šimkutė', 'Urbanavičienė', 'Grigaitė', 'Marcinkevičienė',
        'Vaičiulytė', 'Bernotienė', 'Pociūtė', 'Girdauskienė', 'Kaminskaitė', 'Budrienė', 'Žemaitytė',
        'Jakštienė', 'Mažeikaitė', 'Tamošiūnienė', 'Bagdonaitė', 'Kuzmickienė', 'Norkutė', 'Valančienė',
        'Ališauskaitė', 'Kriščiūnienė', 'Jurkutė', 'Dambrauskienė', 'Petraitytė',
      ],
    },
  },
  {
    code: 'LUX',
    name: 'Luxembourg',
    nato: true,
    given: {
      male: [
        'Luc', 'Marc', 'Pierre', 'Jean', 'Paul', 'Michel', 'Tom', 'Ben', 'Max', 'Gilles', 'Yves', 'Laurent',
        'Patrick', 'Christophe', 'Sven', 'Jeff', 'Steve', 'Joé', 'Kevin', 'Mike', 'Pit', 'Gil', 'Charel',
        'Raphaël', 'Nicolas', 'Thomas', 'David', 'Daniel', 'Philippe', 'Claude', 'Georges', 'Guy', 'Romain',
        'Serge', 'Carlo', 'Fernand', 'Frank', 'Marco', 'João', 'Tiago', 'Pedro', 'Ricardo', 'Nuno', 'Rui',
        'Bruno', 'Miguel', 'Jérôme', 'Lucas', 'Noah', 'Felix', 'Sebastian', 'Andreas',
      ],
      female: [
        'Anne', 'Marie', 'Laura', 'Sarah', 'Julie', 'Lisa', 'Sophie', 'Nathalie', 'Carole', 'Sandra',
        'Claudine', 'Martine', 'Christiane', 'Myriam', 'Tessy', 'Sandy', 'Joëlle', 'Nadine', 'Michèle',
        'Sylvie', 'Françoise', 'Danielle', 'Isabelle', 'Caroline', 'Mandy', 'Cindy', 'Jessica', 'Nicole',
        'Carla', 'Lynn', 'Jill', 'Kim', 'Tania', 'Vera', 'Ana', 'Sofia', 'Inês', 'Catarina', 'Rita',
        'Mariana', 'Joana', 'Patrícia', 'Charlotte', 'Emma', 'Léa', 'Chiara', 'Elena', 'Mia', 'Anna',
      ],
    },
    family: { male: LUX_FAMILY, female: LUX_FAMILY },
  },
  {
    code: 'LVA',
    name: 'Latvia',
    nato: true,
    given: {
      male: [
        'Jānis', 'Andris', 'Juris', 'Edgars', 'Māris', 'Mārtiņš', 'Aivars', 'Roberts', 'Kristaps', 'Artūrs',
        'Raivis', 'Uldis', 'Guntis', 'Valdis', 'Aigars', 'Ivars', 'Dainis', 'Gints', 'Ainārs', 'Armands',
        'Rihards', 'Reinis', 'Matīss', 'Ričards', 'Kārlis', 'Dāvis', 'Oskars', 'Emīls', 'Rolands', 'Normunds',
        'Agris', 'Ēriks', 'Gatis', 'Intars', 'Kaspars', 'Raimonds', 'Renārs', 'Sandis', 'Toms', 'Edijs',
        'Aleksandrs', 'Dmitrijs', 'Sergejs', 'Vladimirs', 'Aleksejs', 'Ģirts', 'Imants', 'Lauris', 'Ralfs',
        'Valters',
      ],
      female: [
        'Anna', 'Kristīne', 'Inese', 'Ilze', 'Līga', 'Laura', 'Dace', 'Sanita', 'Ieva', 'Evija', 'Jolanta',
        'Agnese', 'Linda', 'Santa', 'Zane', 'Elīna', 'Anete', 'Alise', 'Marta', 'Sintija', 'Dana', 'Inga',
        'Iveta', 'Kristiāna', 'Madara', 'Signe', 'Baiba', 'Gunta', 'Sandra', 'Daiga', 'Vita', 'Aija', 'Ilona',
        'Ināra', 'Lelde', 'Liene', 'Rūta', 'Una', 'Vineta', 'Žanete', 'Diāna', 'Katrīna', 'Elza', 'Paula',
        'Sabīne', 'Viktorija', 'Jeļena', 'Olga', 'Natālija', 'Ligita', 'Antra',
      ],
    },
    family: {
      male: [
        'Bērziņš', 'Kalniņš', 'Ozoliņš', 'Jansons', 'Ozols', 'Liepiņš', 'Krūmiņš', 'Balodis', 'Eglītis',
        'Zariņš', 'Pētersons', 'Vītols', 'Kļaviņš', 'Kārkliņš', 'Vanags', 'Lācis', 'Krastiņš', 'Siliņš',
        'Rozītis', 'Lapiņš', 'Upītis', 'Kalējs', 'Sproģis', 'Āboliņš', 'Strautiņš', 'Freimanis', 'Vilks',
        'Pūliņš', 'Grīnbergs', 'Lūsis', 'Ziediņš', 'Zvirbulis', 'Kreicbergs', 'Dzenis', 'Zālītis', 'Mežulis',
        'Cīrulis', 'Jēkabsons', 'Kazāks', 'Vēveris', 'Putniņš', 'Ivanovs', 'Petrovs', 'Kuzņecovs', 'Smirnovs',
        'Lazdiņš', 'Skujiņš', 'Šmits', 'Zeltiņš', 'Millers', 'Circenis', 'Rudzītis', 'Blūms',
      ],
      female: [
        'Bērziņa', 'Kalniņa', 'Ozoliņa', 'Jansone', 'Ozola', 'Liepiņa', 'Krūmiņa', 'Balode', 'Eglīte',
        'Zariņa', 'Pētersone', 'Vītola', 'Kļaviņa', 'Kārkliņa', 'Vanaga', 'Lāce', 'Krastiņa', 'Siliņa',
        'Rozīte', 'Lapiņa', 'Upīte', 'Kalēja', 'Sproģe', 'Āboliņa', 'Strautiņa', 'Freimane', 'Vilka',
        'Pūliņa', 'Grīnberga', 'Lūse', 'Ziediņa', 'Zvirbule', 'Kreicberga', 'Dzene', 'Zālīte', 'Mežule',
        'Cīrule', 'Jēkabsone', 'Kazāka', 'Vēvere', 'Putniņa', 'Ivanova', 'Petrova', 'Kuzņecova', 'Smirnova',
        'Lazdiņa', 'Skujiņa', 'Šmite', 'Zeltiņa', 'Millere', 'Circene', 'Rudzīte', 'Blūma',
      ],
    },
  },
];
