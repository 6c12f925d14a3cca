/**
 * Personal names for synthetic casualties, nations S to Z:
 * SVK, SVN, SWE, TUR, USA.
 */

import type { NationNames } from './nation-names.js';

/** Slovenia: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const SVN_FAMILY: readonly string[] = [
  'Novak', 'Horvat', 'Krajnc', 'Kovačič', 'Zupančič', 'Potočnik', 'Kovač', 'Mlakar', 'Kos', 'Vidmar', 'Golob',
  'Turk', 'Božič', 'Kralj', 'Korošec', 'Zupan', 'Bizjak', 'Hribar', 'Kotnik', 'Kavčič', 'Rozman', 'Kastelic',
  'Oblak', 'Petek', 'Žagar', 'Hočevar', 'Kolar', 'Košir', 'Koren', 'Klemenčič', 'Zajc', 'Knez', 'Medved',
  'Zupanc', 'Petrič', 'Pirc', 'Hrovat', 'Pavlič', 'Kuhar', 'Lah', 'Uršič', 'Tomažič', 'Zorko', 'Sever',
  'Erjavec', 'Babič', 'Jereb', 'Jerman', 'Majcen', 'Pušnik', 'Kranjc', 'Breznik',
];

/** Sweden: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const SWE_FAMILY: readonly string[] = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson',
  'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg',
  'Jakobsson', 'Magnusson', 'Lindström', 'Olofsson', 'Lindqvist', 'Lindgren', 'Berg', 'Axelsson', 'Bergström',
  'Lundberg', 'Lind', 'Lundgren', 'Lundqvist', 'Mattsson', 'Berglund', 'Fredriksson', 'Sandberg',
  'Henriksson', 'Forsberg', 'Sjöberg', 'Wallin', 'Engström', 'Håkansson', 'Danielsson', 'Lundin', 'Eklund',
  'Gunnarsson', 'Holm', 'Björk', 'Bergman', 'Samuelsson', 'Fransson', 'Wikström', 'Isaksson', 'Nyström',
];

/** Türkiye: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const TUR_FAMILY: readonly string[] = [
  'Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk', 'Aydın', 'Özdemir', 'Arslan',
  'Doğan', 'Kılıç', 'Aslan', 'Çetin', 'Kara', 'Koç', 'Kurt', 'Özkan', 'Şimşek', 'Polat', 'Özcan', 'Korkmaz',
  'Çakır', 'Erdoğan', 'Yavuz', 'Can', 'Acar', 'Şen', 'Aktaş', 'Güler', 'Yalçın', 'Güneş', 'Bozkurt', 'Bulut',
  'Keskin', 'Ünal', 'Turan', 'Gül', 'Özer', 'Işık', 'Kaplan', 'Avcı', 'Sarı', 'Tekin', 'Taş', 'Köse',
  'Yüksel', 'Ateş', 'Aksoy', 'Uçar', 'Karaca', 'Çiftçi',
];

/** United States: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const USA_FAMILY: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker',
  'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams',
  'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Washington', 'Kim',
  'Murphy', "O'Connor", 'Reyes',
];

// biome-ignore format: compact multi-name lines keep the reference data readable
export const NATION_NAMES_S_Z: readonly NationNames[] = [
  {
    code: 'SVK',
    name: 'Slovakia',
    nato: true,
    given: {
      male: [
        'Peter', 'Martin', 'Michal', 'Tomáš', 'Ján', 'Jozef', 'Marek', 'Lukáš', 'Milan', 'Jakub', 'Matej',
        'Juraj', 'Miroslav', 'Ľubomír', 'Pavol', 'Stanislav', 'Dušan', 'Vladimír', 'Róbert', 'Ivan', 'Roman',
        'Igor', 'Marián', 'Dominik', 'Filip', 'Adam', 'Samuel', 'Patrik', 'Richard', 'Branislav', 'Radoslav',
        'Rastislav', 'Erik', 'Andrej', 'Daniel', 'Matúš', 'Šimon', 'Viktor', 'Štefan', 'Ladislav', 'Radovan',
        'Ondrej', 'Maroš', 'Norbert', 'Kristián', 'Tibor', 'Vladislav', 'Jaroslav', 'Ľuboš', 'Anton',
        'Slavomír',
      ],
      female: [
        'Mária', 'Anna', 'Zuzana', 'Katarína', 'Eva', 'Jana', 'Lucia', 'Martina', 'Monika', 'Ivana',
        'Veronika', 'Lenka', 'Andrea', 'Simona', 'Barbora', 'Petra', 'Michaela', 'Kristína', 'Nikola',
        'Natália', 'Dominika', 'Soňa', 'Alžbeta', 'Ľubica', 'Gabriela', 'Silvia', 'Daniela', 'Miroslava',
        'Adriana', 'Viera', 'Helena', 'Iveta', 'Renáta', 'Zdenka', 'Timea', 'Alexandra', 'Laura', 'Tereza',
        'Paulína', 'Klaudia', 'Diana', 'Vanda', 'Denisa', 'Marcela', 'Ingrid', 'Beáta', 'Romana', 'Oľga',
        'Emília', 'Jarmila',
      ],
    },
    family: {
      male: [
        'Horváth', 'Kováč', 'Varga', 'Tóth', 'Nagy', 'Baláž', 'Szabó', 'Molnár', 'Balog', 'Lukáč', 'Novák',
        'Kollár', 'Németh', 'Oravec', 'Šimko', 'Polák', 'Kráľ', 'Hudák', 'Gajdoš', 'Marek', 'Mészáros',
        'Zeman', 'Lacko', 'Cibuľa', 'Jurčo', 'Kočiš', 'Kováčik', 'Hrivnák', 'Bartoš', 'Sedlák', 'Blaho',
        'Černák', 'Ďurica', 'Fabián', 'Hlavatý', 'Kozák', 'Mihálik', 'Vlček', 'Pavlík', 'Straka', 'Urban',
        'Holub', 'Jankovič', 'Kubík', 'Majerník', 'Rusnák', 'Tomko', 'Žiak', 'Kuchár', 'Novotný', 'Čierny',
        'Biely',
      ],
      female: [
        'Horváthová', 'Kováčová', 'Vargová', 'Tóthová', 'Nagyová', 'Balážová', 'Szabóová', 'Molnárová',
        'Balogová', 'Lukáčová', 'Nováková', 'Kollárová', 'Némethová', 'Oravcová', 'Šimková', 'Poláková',
        'Kráľová', 'Hudáková', 'Gajdošová', 'Mareková', 'Mészárosová', 'Zemanová', 'Lacková', 'Cibuľová',
        'Jurčová', 'Kočišová', 'Kováčiková', 'Hrivnáková', 'Bartošová', 'Sedláková', 'Blahová', 'Černáková',
        'Ďuricová', 'Fabiánová', 'Hlavatá', 'Kozáková', 'Miháliková', 'Vlčková', 'Pavlíková', 'Straková',
        'Urbanová', 'Holubová', 'Jankovičová', 'Kubíková', 'Majerníková', 'Rusnáková', 'Tomková', 'Žiaková',
        'Kuchárová', 'Novotná', 'Čierna', 'Biela',
      ],
    },
  },
  {
    code: 'SVN',
    name: 'Slovenia',
    nato: true,
    given: {
      male: [
        'Luka', 'Marko', 'Matej', 'Jan', 'Žiga', 'Nejc', 'Anže', 'Rok', 'Gašper', 'Jure', 'Miha', 'Blaž',
        'Tilen', 'Jaka', 'Klemen', 'Aljaž', 'Matic', 'Andraž', 'Uroš', 'Tadej', 'Aleš', 'Boštjan', 'Primož',
        'Matjaž', 'Gregor', 'Tomaž', 'Peter', 'Janez', 'Franc', 'Andrej', 'Jože', 'Marjan', 'Robert', 'Dejan',
        'Sašo', 'Domen', 'Nik', 'Mitja', 'Simon', 'Boris', 'Igor', 'Bojan', 'Damjan', 'David', 'Jakob',
        'Timotej', 'Vid', 'Žan', 'Urban', 'Martin',
      ],
      female: [
        'Maja', 'Nina', 'Eva', 'Sara', 'Ana', 'Nika', 'Tjaša', 'Urška', 'Katja', 'Petra', 'Mojca', 'Barbara',
        'Špela', 'Mateja', 'Tina', 'Tanja', 'Polona', 'Andreja', 'Alenka', 'Nataša', 'Irena', 'Jana',
        'Sabina', 'Teja', 'Lea', 'Zala', 'Živa', 'Lara', 'Ajda', 'Neža', 'Manca', 'Anja', 'Monika', 'Vesna',
        'Darja', 'Simona', 'Helena', 'Jasmina', 'Karmen', 'Lucija', 'Vita', 'Klara', 'Tamara', 'Kaja', 'Ema',
        'Brigita', 'Martina', 'Marjeta', 'Sonja', 'Nevenka', 'Erika',
      ],
    },
    family: { male: SVN_FAMILY, female: SVN_FAMILY },
  },
  {
    code: 'SWE',
    name: 'Sweden',
    nato: true,
    given: {
      male: [
        'Erik', 'Lars', 'Karl', 'Anders', 'Johan', 'Per', 'Nils', 'Mikael', 'Jan', 'Hans', 'Peter', 'Fredrik',
        'Daniel', 'Andreas', 'Magnus', 'Henrik', 'Mattias', 'Jonas', 'Niklas', 'Marcus', 'Oskar', 'Viktor',
        'Emil', 'Filip', 'Gustav', 'Axel', 'Anton', 'Linus', 'Simon', 'Jesper', 'Joakim', 'Kristoffer',
        'Patrik', 'Stefan', 'Tobias', 'Robin', 'Alexander', 'Sebastian', 'Rasmus', 'Oliver', 'Albin',
        'Hampus', 'Ludvig', 'Björn', 'Martin', 'Måns', 'Jörgen', 'Göran', 'Tomas', 'Sven',
      ],
      female: [
        'Anna', 'Maria', 'Eva', 'Karin', 'Sara', 'Emma', 'Elin', 'Johanna', 'Linnéa', 'Frida', 'Ida', 'Hanna',
        'Julia', 'Sofia', 'Matilda', 'Elsa', 'Ebba', 'Moa', 'Malin', 'Jenny', 'Lina', 'Emelie', 'Caroline',
        'Josefin', 'Therese', 'Camilla', 'Jessica', 'Sandra', 'Cecilia', 'Helena', 'Kristina', 'Lena',
        'Susanne', 'Åsa', 'Ulrika', 'Annika', 'Jennie', 'Amanda', 'Klara', 'Alva', 'Alice', 'Wilma',
        'Felicia', 'Louise', 'Maja', 'Madeleine', 'Katarina', 'Linda', 'Sanna', 'Ellen',
      ],
    },
    family: { male: SWE_FAMILY, female: SWE_FAMILY },
  },
  {
    code: 'TUR',
    name: 'Türkiye',
    nato: true,
    given: {
      male: [
        'Mehmet', 'Mustafa', 'Ahmet', 'Ali', 'Hüseyin', 'Hasan', 'İbrahim', 'İsmail', 'Osman', 'Yusuf',
        'Murat', 'Ömer', 'Ramazan', 'Halil', 'Süleyman', 'Abdullah', 'Mahmut', 'Recep', 'Fatih', 'Emre',
        'Burak', 'Serkan', 'Onur', 'Oğuz', 'Kemal', 'Tolga', 'Volkan', 'Çağlar', 'Barış', 'Erkan', 'Gökhan',
        'Hakan', 'Kadir', 'Cem', 'Eren', 'Furkan', 'Berk', 'Can', 'Umut', 'Uğur', 'Orhan', 'Selim', 'Tuncay',
        'Sinan', 'Yasin', 'Enes', 'Batuhan', 'Alper', 'Kaan', 'Koray', 'Serdar', 'Taner', 'Ercan',
      ],
      female: [
        'Fatma', 'Ayşe', 'Emine', 'Hatice', 'Zeynep', 'Elif', 'Meryem', 'Şerife', 'Zehra', 'Sultan', 'Hanife',
        'Merve', 'Büşra', 'Esra', 'Özlem', 'Gül', 'Derya', 'Selin', 'Ebru', 'Yasemin', 'Tuğba', 'Ceren',
        'Gamze', 'Aslı', 'Burcu', 'Pınar', 'Seda', 'Dilek', 'Sibel', 'Gizem', 'Melek', 'Hülya', 'Aylin',
        'Cansu', 'Ecem', 'İrem', 'Kübra', 'Sevgi', 'Songül', 'Nur', 'Özge', 'Buse', 'Damla', 'Eda', 'Şeyma',
        'Hande', 'Duygu', 'Esin', 'Nurcan', 'Leyla', 'Ayten',
      ],
    },
    family: { male: TUR_FAMILY, female: TUR_FAMILY },
  },
  {
    code: 'USA',
    name: 'United States',
    nato: true,
    given: {
      male: [
        'Michael', 'Christopher', 'Matthew', 'Joshua', 'David', 'James', 'Daniel', 'Robert', 'John', 'Joseph',
        'Jason', 'Justin', 'Andrew', 'Ryan', 'William', 'Brian', 'Jonathan', 'Brandon', 'Nicholas', 'Anthony',
        'Eric', 'Adam', 'Kevin', 'Steven', 'Thomas', 'Timothy', 'Kyle', 'Jacob', 'Tyler', 'Aaron', 'Jose',
        'Juan', 'Carlos', 'Luis', 'Marcus', 'Jordan', 'Austin', 'Zachary', 'Dylan', 'Ethan', 'Noah', 'Logan',
        'Caleb', 'Cody', 'Travis', 'Derek', 'Jeremy', 'Gregory', 'Benjamin', 'Samuel', 'Christian', 'Dustin',
        'Trevor', 'DeShawn', 'Tyrone',
      ],
      female: [
        'Jennifer', 'Jessica', 'Ashley', 'Amanda', 'Sarah', 'Stephanie', 'Melissa', 'Nicole', 'Elizabeth',
        'Heather', 'Michelle', 'Amber', 'Megan', 'Rachel', 'Emily', 'Lauren', 'Samantha', 'Brittany',
        'Danielle', 'Kimberly', 'Rebecca', 'Christina', 'Laura', 'Kayla', 'Hannah', 'Alexis', 'Taylor',
        'Madison', 'Olivia', 'Emma', 'Abigail', 'Victoria', 'Courtney', 'Crystal', 'Tiffany', 'Erica',
        'Maria', 'Jasmine', 'Destiny', 'Brianna', 'Alyssa', 'Sydney', 'Morgan', 'Kelsey', 'Vanessa', 'Andrea',
        'Gabriela', 'Monique', 'Latoya', 'Keisha',
      ],
    },
    family: { male: USA_FAMILY, female: USA_FAMILY },
  },
];
