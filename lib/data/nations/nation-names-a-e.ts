/**
 * Personal names for synthetic casualties, nations A to E:
 * ALB, AUS, BEL, BGR, CAN, CZE, DEU, DNK, ESP, EST.
 */

import type { NationNames } from './nation-names.js';

/** Albania: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const ALB_FAMILY: readonly string[] = [
  'Hoxha', 'Shehu', 'Gjoka', 'Leka', 'Kola', 'Marku', 'Prifti', 'Dervishi', 'Hysa', 'Basha', 'Gjoni', 'Koçi',
  'Muça', 'Rama', 'Çela', 'Duka', 'Lika', 'Xhafa', 'Meta', 'Mema', 'Hasani', 'Bajrami', 'Berisha', 'Krasniqi',
  'Kelmendi', 'Topalli', 'Shkodra', 'Rexhepi', 'Tafa', 'Zeneli', 'Dushku', 'Kapllani', 'Lushaj', 'Mehmeti',
  'Qose', 'Sula', 'Tahiri', 'Troshani', 'Veizi', 'Zhupa', 'Gjika', 'Brahimi', 'Hoxhaj', 'Malaj', 'Cani',
  'Dibra', 'Kurti', 'Bregu', 'Ndreu', 'Pllumbi',
];

/** Australia: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const AUS_FAMILY: readonly string[] = [
  'Smith', 'Jones', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Johnson', 'White', 'Martin', 'Anderson',
  'Thompson', 'Nguyen', 'Thomas', 'Walker', 'Harris', 'Lee', 'Ryan', 'Robinson', 'Kelly', 'King', 'Davis',
  'Wright', 'Evans', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Patel', 'Khan', 'Lewis',
  'James', 'Phillips', 'Mitchell', 'Campbell', 'Scott', 'Murphy', "O'Brien", 'Young', 'Edwards', 'Stewart',
  'Hughes', 'Turner', 'Cooper', 'Morris', 'Ward', 'Baker', 'Harrison', 'Watson', 'Kennedy', 'McDonald',
  'Collins', 'Moore',
];

/** Belgium: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const BEL_FAMILY: readonly string[] = [
  'Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet',
  'Dubois', 'Lambert', 'Dupont', 'Martin', 'Simon', 'Leclercq', 'Declercq', 'Hermans', 'Van Damme',
  'Vermeulen', 'Desmet', 'Lemaire', 'Dumont', 'Laurent', 'Renard', 'Michel', 'Gérard', 'Van den Broeck',
  'De Backer', 'Pauwels', 'Aerts', 'Verstraete', 'Van de Velde', 'De Vos', 'Vandenberghe', 'Leroy',
  'François', 'Fontaine', 'Hendrickx', 'Cools', 'Smets', 'Verhoeven', 'Stevens', 'Bogaerts', 'Mathieu',
  'Denis', 'Collin', 'Lejeune', 'Wuyts', 'Segers',
];

/** Canada: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const CAN_FAMILY: readonly string[] = [
  'Smith', 'Brown', 'Tremblay', 'Martin', 'Roy', 'Wilson', 'MacDonald', 'Gagnon', 'Johnson', 'Taylor', 'Côté',
  'Campbell', 'Anderson', 'Leblanc', 'Lee', 'Jones', 'White', 'Williams', 'Miller', 'Thompson', 'Gauthier',
  'Young', 'Morin', 'Bouchard', 'Scott', 'Stewart', 'Fortin', 'Pelletier', 'Bélanger', 'Lévesque', 'Clark',
  'Robinson', 'Bergeron', 'Girard', 'Ouellet', 'MacLeod', 'Fraser', 'Reid', 'Lavoie', 'Boucher', 'Poirier',
  'Murphy', 'Ross', 'Gagné', 'Thibodeau', 'Moore', 'Kelly', 'Hall', 'Wright', 'Paquette', 'Cloutier',
];

/** Germany: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const DEU_FAMILY: readonly string[] = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
  'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann',
  'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier',
  'Lehmann', 'Schmid', 'Schulze', 'Maier', 'Köhler', 'Herrmann', 'König', 'Walter', 'Mayer', 'Huber',
  'Kaiser', 'Fuchs', 'Peters', 'Lang', 'Scholz', 'Möller', 'Weiß', 'Jung', 'Hahn', 'Vogel',
];

/** Denmark: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const DNK_FAMILY: readonly string[] = [
  'Nielsen', 'Jensen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen',
  'Jørgensen', 'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen', 'Poulsen', 'Johansen',
  'Møller', 'Mortensen', 'Knudsen', 'Jakobsen', 'Jacobsen', 'Mikkelsen', 'Olesen', 'Frederiksen', 'Laursen',
  'Henriksen', 'Lund', 'Schmidt', 'Eriksen', 'Holm', 'Kristiansen', 'Clausen', 'Simonsen', 'Svendsen',
  'Andreasen', 'Iversen', 'Jeppesen', 'Vestergaard', 'Mogensen', 'Nissen', 'Lauridsen', 'Jespersen',
  'Østergaard', 'Kjær', 'Bach', 'Dahl', 'Carlsen', 'Berg',
];

/** Spain: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const ESP_FAMILY: readonly string[] = [
  'García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín',
  'Jiménez', 'Hernández', 'Ruiz', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Gutiérrez', 'Alonso',
  'Navarro', 'Torres', 'Domínguez', 'Ramos', 'Vázquez', 'Ramírez', 'Gil', 'Serrano', 'Morales', 'Molina',
  'Blanco', 'Suárez', 'Castro', 'Ortega', 'Delgado', 'Ortiz', 'Marín', 'Rubio', 'Núñez', 'Medina', 'Sanz',
  'Castillo', 'Iglesias', 'Cortés', 'Garrido', 'Santos', 'Guerrero', 'Lozano', 'Cano', 'Prieto', 'Méndez',
  'Cruz',
];

/** Estonia: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const EST_FAMILY: readonly string[] = [
  'Tamm', 'Saar', 'Sepp', 'Mägi', 'Kask', 'Kukk', 'Rebane', 'Ilves', 'Pärn', 'Koppel', 'Oja', 'Lepik',
  'Kuusk', 'Karu', 'Kaasik', 'Luik', 'Lepp', 'Kivi', 'Raudsepp', 'Vaher', 'Kallas', 'Org', 'Kuusik', 'Mets',
  'Teder', 'Põld', 'Laur', 'Jõgi', 'Mölder', 'Kütt', 'Sild', 'Toom', 'Paju', 'Lill', 'Kõiv', 'Vares', 'Roos',
  'Kangur', 'Kull', 'Parts', 'Kärner', 'Laane', 'Nõmm', 'Rand', 'Soosaar', 'Tiits', 'Valk', 'Aavik', 'Lõhmus',
  'Kruus',
];

// biome-ignore format: compact multi-name lines keep the reference data readable
export const NATION_NAMES_A_E: readonly NationNames[] = [
  {
    code: 'ALB',
    name: 'Albania',
    nato: true,
    given: {
      male: [
        'Ardit', 'Arben', 'Besnik', 'Blerim', 'Dritan', 'Elton', 'Erion', 'Ervin', 'Fatjon', 'Florian',
        'Gentian', 'Gerti', 'Ilir', 'Klodian', 'Kristi', 'Lulzim', 'Mario', 'Marsel', 'Mirel', 'Olsi',
        'Orges', 'Redi', 'Renaldo', 'Sokol', 'Taulant', 'Xhuljo', 'Klevis', 'Endri', 'Eraldo', 'Altin',
        'Artan', 'Bledar', 'Gazmend', 'Genti', 'Eltion', 'Armando', 'Edmond', 'Arjan', 'Agron', 'Besart',
        'Jurgen', 'Aldo', 'Denis', 'Ermal', 'Fation', 'Kledi', 'Luan', 'Alban', 'Andi', 'Saimir',
      ],
      female: [
        'Anisa', 'Ardita', 'Arjola', 'Blerina', 'Brunilda', 'Diana', 'Dorina', 'Elda', 'Elona', 'Enkeleda',
        'Entela', 'Erisa', 'Esmeralda', 'Fatjona', 'Flutura', 'Gentiana', 'Greta', 'Ilda', 'Irena', 'Jonida',
        'Klea', 'Kejsi', 'Lindita', 'Mimoza', 'Migena', 'Nertila', 'Orjola', 'Rudina', 'Silva', 'Sonila',
        'Teuta', 'Valbona', 'Vjollca', 'Xhensila', 'Anxhela', 'Ledia', 'Megi', 'Alketa', 'Besiana', 'Dajana',
        'Eljona', 'Evisa', 'Fjorela', 'Griselda', 'Juliana', 'Kristina', 'Livia', 'Marsela', 'Rovena',
        'Suela',
      ],
    },
    family: { male: ALB_FAMILY, female: ALB_FAMILY },
  },
  {
    code: 'AUS',
    name: 'Australia',
    nato: false,
    given: {
      male: [
        'James', 'Daniel', 'Matthew', 'Joshua', 'Thomas', 'Michael', 'Benjamin', 'Samuel', 'Luke', 'Jack',
        'Ryan', 'Nathan', 'Jordan', 'Lachlan', 'Mitchell', 'Liam', 'Dylan', 'Jake', 'Bradley', 'Adam',
        'Andrew', 'David', 'Christopher', 'Scott', 'Shane', 'Brett', 'Jason', 'Craig', 'Darren', 'Aaron',
        'Cameron', 'Hayden', 'Riley', 'Tyler', 'Joel', 'Blake', 'Corey', 'Kane', 'Jayden', 'Harrison',
        'Angus', 'Callum', 'Connor', 'Patrick', 'Nicholas', 'Timothy', 'Brendan', 'Dean', 'Troy', 'Jarrod',
        'Kyle', 'Cooper',
      ],
      female: [
        'Sarah', 'Jessica', 'Emma', 'Emily', 'Chloe', 'Hannah', 'Rebecca', 'Laura', 'Amy', 'Lauren',
        'Melissa', 'Nicole', 'Kate', 'Rachel', 'Stephanie', 'Samantha', 'Jennifer', 'Kylie', 'Michelle',
        'Renee', 'Lisa', 'Kristy', 'Natalie', 'Danielle', 'Megan', 'Georgia', 'Olivia', 'Ashleigh', 'Brooke',
        'Courtney', 'Jade', 'Kayla', 'Tayla', 'Madison', 'Caitlin', 'Bianca', 'Alana', 'Elise', 'Sophie',
        'Grace', 'Ella', 'Isabella', 'Zoe', 'Amber', 'Tahlia', 'Jacinta', 'Bronwyn', 'Kirsten', 'Belinda',
        'Rhiannon',
      ],
    },
    family: { male: AUS_FAMILY, female: AUS_FAMILY },
  },
  {
    code: 'BEL',
    name: 'Belgium',
    nato: true,
    given: {
      male: [
        'Thomas', 'Nicolas', 'Maxime', 'Kevin', 'Jonathan', 'Pieter', 'Jan', 'Koen', 'Bart', 'Wouter',
        'Jeroen', 'Stijn', 'Tom', 'Sander', 'Jens', 'Arne', 'Ruben', 'Lucas', 'Louis', 'Antoine', 'Julien',
        'Sébastien', 'Olivier', 'Laurent', 'Benoît', 'Cédric', 'Geoffrey', 'Grégory', 'Jérôme', 'Frédéric',
        'Pierre', 'Michaël', 'Dries', 'Tim', 'Niels', 'Glenn', 'Kristof', 'Joris', 'Gert', 'Hendrik',
        'Lander', 'Brecht', 'Simon', 'Mathias', 'Florian', 'Guillaume', 'Quentin', 'Romain', 'Maarten',
        'Thibault',
      ],
      female: [
        'Julie', 'Sarah', 'Laura', 'Marie', 'Charlotte', 'Emma', 'Elise', 'Lien', 'Sofie', 'Eline', 'Hanne',
        'Lotte', 'Nathalie', 'Els', 'Katrien', 'An', 'Inge', 'Veerle', 'Sandra', 'Isabelle', 'Aurélie',
        'Céline', 'Mélanie', 'Caroline', 'Stéphanie', 'Valérie', 'Sophie', 'Camille', 'Manon', 'Chloé',
        'Pauline', 'Audrey', 'Amélie', 'Justine', 'Jolien', 'Nele', 'Tine', 'Annelies', 'Evelien', 'Leen',
        'Griet', 'Kim', 'Jessica', 'Delphine', 'Émilie', 'Fanny', 'Marine', 'Lisa', 'Femke', 'Nina',
      ],
    },
    family: { male: BEL_FAMILY, female: BEL_FAMILY },
  },
  {
    code: 'BGR',
    name: 'Bulgaria',
    nato: true,
    given: {
      male: [
        'Georgi', 'Ivan', 'Dimitar', 'Nikolay', 'Petar', 'Hristo', 'Stoyan', 'Todor', 'Vasil', 'Aleksandar',
        'Martin', 'Kaloyan', 'Viktor', 'Yordan', 'Stefan', 'Plamen', 'Svetoslav', 'Boris', 'Angel', 'Atanas',
        'Krasimir', 'Valentin', 'Emil', 'Lyubomir', 'Radoslav', 'Momchil', 'Tsvetan', 'Borislav',
        'Konstantin', 'Daniel', 'Iliya', 'Kiril', 'Mihail', 'Nikola', 'Pavel', 'Rumen', 'Simeon', 'Teodor',
        'Tihomir', 'Veselin', 'Zhivko', 'Yavor', 'Bozhidar', 'Anton', 'Denis', 'Kristiyan', 'Asen', 'Deyan',
        'Galin', 'Ivaylo',
      ],
      female: [
        'Maria', 'Ivana', 'Elena', 'Yordanka', 'Desislava', 'Gergana', 'Teodora', 'Viktoria', 'Nikol',
        'Aleksandra', 'Radostina', 'Petya', 'Silvia', 'Svetlana', 'Tsvetelina', 'Vesela', 'Galina', 'Daniela',
        'Kristina', 'Nadezhda', 'Iva', 'Mihaela', 'Simona', 'Neli', 'Denitsa', 'Boryana', 'Zornitsa',
        'Kalina', 'Rositsa', 'Snezhana', 'Milena', 'Polina', 'Raya', 'Antonia', 'Yoana', 'Dimitrina',
        'Emilia', 'Gabriela', 'Hristina', 'Irina', 'Katerina', 'Lilyana', 'Magdalena', 'Nevena', 'Pavlina',
        'Slaveya', 'Stanislava', 'Tanya', 'Valeria', 'Yana', 'Veselina', 'Diana',
      ],
    },
    family: {
      male: [
        'Ivanov', 'Georgiev', 'Dimitrov', 'Petrov', 'Nikolov', 'Hristov', 'Stoyanov', 'Todorov', 'Iliev',
        'Vasilev', 'Atanasov', 'Petkov', 'Angelov', 'Kolev', 'Yordanov', 'Marinov', 'Popov', 'Stefanov',
        'Kostov', 'Mihaylov', 'Krastev', 'Dimov', 'Pavlov', 'Kirilov', 'Aleksandrov', 'Lazarov', 'Simeonov',
        'Yankov', 'Tsvetkov', 'Dobrev', 'Nedelchev', 'Radev', 'Stoev', 'Kostadinov', 'Valchev', 'Zhelev',
        'Borisov', 'Tonchev', 'Mladenov', 'Penev', 'Panayotov', 'Slavov', 'Stanchev', 'Manolov', 'Raykov',
        'Yanev', 'Genov', 'Savov', 'Zlatev', 'Grigorov', 'Mitev', 'Naydenov', 'Rusev', 'Trifonov',
      ],
      female: [
        'Ivanova', 'Georgieva', 'Dimitrova', 'Petrova', 'Nikolova', 'Hristova', 'Stoyanova', 'Todorova',
        'Ilieva', 'Vasileva', 'Atanasova', 'Petkova', 'Angelova', 'Koleva', 'Yordanova', 'Marinova', 'Popova',
        'Stefanova', 'Kostova', 'Mihaylova', 'Krasteva', 'Dimova', 'Pavlova', 'Kirilova', 'Aleksandrova',
        'Lazarova', 'Simeonova', 'Yankova', 'Tsvetkova', 'Dobreva', 'Nedelcheva', 'Radeva', 'Stoeva',
        'Kostadinova', 'Valcheva', 'Zheleva', 'Borisova', 'Toncheva', 'Mladenova', 'Peneva', 'Panayotova',
        'Slavova', 'Stancheva', 'Manolova', 'Raykova', 'Yaneva', 'Genova', 'Savova', 'Zlateva', 'Grigorova',
        'Miteva', 'Naydenova', 'Ruseva', 'Trifonova',
      ],
    },
  },
  {
    code: 'CAN',
    name: 'Canada',
    nato: true,
    given: {
      male: [
        'James', 'Michael', 'David', 'Ryan', 'Matthew', 'Daniel', 'Christopher', 'Andrew', 'Jason', 'Kevin',
        'Justin', 'Tyler', 'Brandon', 'Eric', 'Jonathan', 'Mark', 'Brian', 'Adam', 'Scott', 'Jeffrey',
        'Jordan', 'Kyle', 'Nathan', 'Stephen', 'Patrick', 'Liam', 'Ethan', 'Connor', 'Dylan', 'Logan',
        'Jean-François', 'Mathieu', 'Maxime', 'Olivier', 'Alexandre', 'Étienne', 'Philippe', 'Sébastien',
        'Simon', 'Marc-André', 'Guillaume', 'François', 'Jean-Philippe', 'Samuel', 'Gabriel', 'Félix',
        'Vincent', 'Frédéric', 'Luc', 'Benoît',
      ],
      female: [
        'Jennifer', 'Sarah', 'Jessica', 'Ashley', 'Amanda', 'Emily', 'Stephanie', 'Melissa', 'Rebecca',
        'Lauren', 'Megan', 'Rachel', 'Nicole', 'Samantha', 'Kimberly', 'Laura', 'Hannah', 'Emma', 'Olivia',
        'Taylor', 'Brittany', 'Kayla', 'Michelle', 'Heather', 'Amy', 'Julie', 'Marie-Ève', 'Geneviève',
        'Isabelle', 'Mélanie', 'Catherine', 'Valérie', 'Stéphanie', 'Audrey', 'Émilie', 'Véronique', 'Annie',
        'Caroline', 'Josée', 'Karine', 'Nathalie', 'Chantal', 'Andrée-Anne', 'Marie-Pier', 'Camille',
        'Sophie', 'Kathleen', 'Krista', 'Danielle', 'Chloé',
      ],
    },
    family: { male: CAN_FAMILY, female: CAN_FAMILY },
  },
  {
    code: 'CZE',
    name: 'Czechia',
    nato: true,
    given: {
      male: [
        'Jan', 'Jakub', 'Tomáš', 'Lukáš', 'Martin', 'Petr', 'Jiří', 'Josef', 'Pavel', 'Michal', 'David',
        'Ondřej', 'Filip', 'Vojtěch', 'Adam', 'Matěj', 'Daniel', 'Marek', 'Roman', 'Zdeněk', 'Václav',
        'Karel', 'Miroslav', 'František', 'Jaroslav', 'Milan', 'Radek', 'Stanislav', 'Vladimír', 'Aleš',
        'Libor', 'Dominik', 'Štěpán', 'Šimon', 'Antonín', 'Patrik', 'Radim', 'Vít', 'Kamil', 'Robert',
        'Dušan', 'Richard', 'Přemysl', 'Ladislav', 'Luboš', 'Matyáš', 'Jaromír', 'Vladislav', 'Bohumil',
        'Oldřich',
      ],
      female: [
        'Jana', 'Eva', 'Hana', 'Anna', 'Lenka', 'Kateřina', 'Lucie', 'Věra', 'Alena', 'Petra', 'Veronika',
        'Martina', 'Tereza', 'Jaroslava', 'Michaela', 'Barbora', 'Markéta', 'Zuzana', 'Kristýna', 'Klára',
        'Monika', 'Pavla', 'Simona', 'Adéla', 'Natálie', 'Eliška', 'Denisa', 'Karolína', 'Nikola', 'Dominika',
        'Andrea', 'Ivana', 'Šárka', 'Dagmar', 'Radka', 'Romana', 'Gabriela', 'Helena', 'Iveta', 'Blanka',
        'Kamila', 'Jitka', 'Soňa', 'Žaneta', 'Vendula', 'Aneta', 'Magdaléna', 'Zdeňka', 'Lada', 'Renata',
      ],
    },
    family: {
      male: [
        'Novák', 'Svoboda', 'Novotný', 'Dvořák', 'Černý', 'Procházka', 'Kučera', 'Veselý', 'Horák', 'Němec',
        'Pokorný', 'Marek', 'Pospíšil', 'Hájek', 'Jelínek', 'Král', 'Růžička', 'Beneš', 'Fiala', 'Sedláček',
        'Doležal', 'Zeman', 'Kolář', 'Navrátil', 'Čermák', 'Vaněk', 'Urban', 'Blažek', 'Kříž', 'Kovář',
        'Kratochvíl', 'Bartoš', 'Vlček', 'Polák', 'Musil', 'Kopecký', 'Šimek', 'Konečný', 'Malý', 'Holub',
        'Štěpánek', 'Čech', 'Staněk', 'Kadlec', 'Dostál', 'Soukup', 'Mareš', 'Sýkora', 'Moravec', 'Tichý',
      ],
      female: [
        'Nováková', 'Svobodová', 'Novotná', 'Dvořáková', 'Černá', 'Procházková', 'Kučerová', 'Veselá',
        'Horáková', 'Němcová', 'Pokorná', 'Marková', 'Pospíšilová', 'Hájková', 'Jelínková', 'Králová',
        'Růžičková', 'Benešová', 'Fialová', 'Sedláčková', 'Doležalová', 'Zemanová', 'Kolářová', 'Navrátilová',
        'Čermáková', 'Vaňková', 'Urbanová', 'Blažková', 'Křížová', 'Kovářová', 'Kratochvílová', 'Bartošová',
        'Vlčková', 'Poláková', 'Musilová', 'Kopecká', 'Šimková', 'Konečná', 'Malá', 'Holubová', 'Štěpánková',
        'Čechová', 'Staňková', 'Kadlecová', 'Dostálová', 'Soukupová', 'Marešová', 'Sýkorová', 'Moravcová',
        'Tichá',
      ],
    },
  },
  {
    code: 'DEU',
    name: 'Germany',
    nato: true,
    given: {
      male: [
        'Alexander', 'Andreas', 'Christian', 'Daniel', 'David', 'Dennis', 'Dominik', 'Fabian', 'Felix',
        'Florian', 'Jan', 'Jannik', 'Jonas', 'Julian', 'Kevin', 'Lukas', 'Marcel', 'Marco', 'Markus',
        'Martin', 'Matthias', 'Maximilian', 'Michael', 'Moritz', 'Niklas', 'Nico', 'Patrick', 'Paul',
        'Philipp', 'Sebastian', 'Simon', 'Stefan', 'Sven', 'Thomas', 'Tim', 'Tobias', 'Tom', 'Jürgen', 'Jörg',
        'Björn', 'Sören', 'Uwe', 'Frank', 'Torsten', 'Dirk', 'Holger', 'Leon', 'Lennart', 'Benedikt', 'Ralf',
      ],
      female: [
        'Anna', 'Julia', 'Laura', 'Lisa', 'Sarah', 'Katharina', 'Lena', 'Hannah', 'Lea', 'Johanna', 'Sophie',
        'Maria', 'Anja', 'Sabine', 'Susanne', 'Nicole', 'Stefanie', 'Christina', 'Sandra', 'Melanie',
        'Kerstin', 'Claudia', 'Andrea', 'Katrin', 'Nadine', 'Jessica', 'Jennifer', 'Vanessa', 'Franziska',
        'Miriam', 'Carolin', 'Jana', 'Janina', 'Jasmin', 'Nina', 'Svenja', 'Annika', 'Kathrin', 'Tanja',
        'Sonja', 'Birgit', 'Jutta', 'Silke', 'Antje', 'Ines', 'Mareike', 'Ricarda', 'Lara', 'Marie',
        'Charlotte', 'Emilia',
      ],
    },
    family: { male: DEU_FAMILY, female: DEU_FAMILY },
  },
  {
    code: 'DNK',
    name: 'Denmark',
    nato: true,
    given: {
      male: [
        'Mads', 'Rasmus', 'Mikkel', 'Frederik', 'Christian', 'Jonas', 'Anders', 'Søren', 'Jesper', 'Morten',
        'Thomas', 'Martin', 'Lars', 'Henrik', 'Niels', 'Kasper', 'Jakob', 'Nikolaj', 'Mathias', 'Emil',
        'Oliver', 'Magnus', 'Simon', 'Andreas', 'Peter', 'Jens', 'Michael', 'Kristian', 'Nicolai', 'Rune',
        'Kim', 'Jan', 'Jørgen', 'Bo', 'Allan', 'Brian', 'Dennis', 'René', 'Tobias', 'Sebastian', 'Alexander',
        'Lasse', 'Casper', 'Anton', 'Esben', 'Ulrik', 'Troels', 'Torben', 'Kenneth', 'Steffen',
      ],
      female: [
        'Anne', 'Mette', 'Camilla', 'Louise', 'Maria', 'Sofie', 'Julie', 'Ida', 'Emma', 'Freja', 'Line',
        'Maja', 'Cecilie', 'Katrine', 'Signe', 'Mathilde', 'Caroline', 'Pernille', 'Sara', 'Trine', 'Helle',
        'Susanne', 'Lene', 'Tina', 'Lotte', 'Marianne', 'Charlotte', 'Christina', 'Rikke', 'Stine', 'Nanna',
        'Sanne', 'Laura', 'Amalie', 'Josefine', 'Anna', 'Kirsten', 'Birgitte', 'Dorthe', 'Malene', 'Nina',
        'Karina', 'Heidi', 'Lærke', 'Astrid', 'Simone', 'Mia', 'Ditte', 'Tanja', 'Majken',
      ],
    },
    family: { male: DNK_FAMILY, female: DNK_FAMILY },
  },
  {
    code: 'ESP',
    name: 'Spain',
    nato: true,
    given: {
      male: [
        'Antonio', 'José', 'Manuel', 'Francisco', 'David', 'Juan', 'Javier', 'Daniel', 'Carlos', 'Jesús',
        'Alejandro', 'Miguel', 'Rafael', 'Pablo', 'Sergio', 'Fernando', 'Jorge', 'Luis', 'Alberto', 'Álvaro',
        'Adrián', 'Diego', 'Raúl', 'Iván', 'Rubén', 'Óscar', 'Andrés', 'Enrique', 'Ramón', 'Víctor', 'Mario',
        'Ignacio', 'Hugo', 'Marcos', 'Guillermo', 'Jaime', 'Gonzalo', 'Roberto', 'Jordi', 'Joan', 'Xavier',
        'Iker', 'Aitor', 'Unai', 'Mikel', 'Borja', 'Íñigo', 'Samuel', 'Héctor', 'Joaquín', 'Eduardo',
        'Salvador',
      ],
      female: [
        'María', 'Carmen', 'Ana', 'Laura', 'Marta', 'Cristina', 'Lucía', 'Paula', 'Elena', 'Sara', 'Isabel',
        'Raquel', 'Patricia', 'Beatriz', 'Silvia', 'Rocío', 'Alba', 'Andrea', 'Irene', 'Nuria', 'Sandra',
        'Mónica', 'Pilar', 'Rosa', 'Natalia', 'Verónica', 'Eva', 'Claudia', 'Sofía', 'Julia', 'Alicia',
        'Inmaculada', 'Noelia', 'Lorena', 'Marina', 'Montserrat', 'Yolanda', 'Esther', 'Miriam', 'Teresa',
        'Alejandra', 'Carla', 'Nerea', 'Ainhoa', 'Leire', 'Lidia', 'Susana', 'Tamara', 'Begoña', 'Aurora',
        'Encarnación', 'Almudena',
      ],
    },
    family: { male: ESP_FAMILY, female: ESP_FAMILY },
  },
  {
    code: 'EST',
    name: 'Estonia',
    nato: true,
    given: {
      male: [
        'Martin', 'Rasmus', 'Markus', 'Andres', 'Tanel', 'Kristjan', 'Siim', 'Rain', 'Margus', 'Priit',
        'Tõnu', 'Jaan', 'Toomas', 'Mart', 'Urmas', 'Rein', 'Peeter', 'Indrek', 'Meelis', 'Raivo', 'Ain',
        'Erki', 'Janek', 'Kaspar', 'Karl', 'Mihkel', 'Marek', 'Madis', 'Ott', 'Taavi', 'Sander', 'Kristo',
        'Joonas', 'Mattias', 'Oliver', 'Robin', 'Rene', 'Silver', 'Tarmo', 'Alar', 'Tiit', 'Raul', 'Kalle',
        'Aivar', 'Kaido', 'Lauri', 'Hendrik', 'Kevin', 'Marko', 'Risto',
      ],
      female: [
        'Maria', 'Anna', 'Kadri', 'Kristiina', 'Liis', 'Kati', 'Triin', 'Kerli', 'Piret', 'Merle', 'Tiina',
        'Eve', 'Anu', 'Kaja', 'Katrin', 'Marika', 'Helen', 'Laura', 'Eliise', 'Sandra', 'Kristel', 'Kätlin',
        'Mari', 'Getter', 'Maarja', 'Liisa', 'Pille', 'Riin', 'Tiiu', 'Kairi', 'Signe', 'Hanna', 'Grete',
        'Kertu', 'Birgit', 'Merike', 'Ülle', 'Ene', 'Külli', 'Evelin', 'Marju', 'Annika', 'Karin', 'Jaanika',
        'Margit', 'Reet', 'Helena', 'Marge', 'Diana', 'Egle',
      ],
    },
    family: { male: EST_FAMILY, female: EST_FAMILY },
  },
];
