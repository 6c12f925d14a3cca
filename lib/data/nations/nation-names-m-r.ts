/**
 * Personal names for synthetic casualties, nations M to R:
 * MKD, MNE, NLD, NOR, NZL, POL, PRT, ROU.
 */

import type { NationNames } from './nation-names.js';

/** Montenegro: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const MNE_FAMILY: readonly string[] = [
  'Popović', 'Vujović', 'Radović', 'Vuković', 'Kovačević', 'Đukanović', 'Perović', 'Bulatović', 'Marković',
  'Lazarević', 'Nikolić', 'Raičević', 'Vučinić', 'Jovanović', 'Radulović', 'Milić', 'Đurović', 'Šćepanović',
  'Vujošević', 'Pavićević', 'Bojović', 'Knežević', 'Živković', 'Vukčević', 'Lakić', 'Petrović', 'Janković',
  'Mugoša', 'Mićović', 'Vujačić', 'Stanišić', 'Kalezić', 'Vukićević', 'Dragović', 'Milošević', 'Simović',
  'Krivokapić', 'Adžić', 'Martinović', 'Radonjić', 'Šaranović', 'Đurišić', 'Boljević', 'Ivanović',
  'Rakočević', 'Vujisić', 'Hadžić', 'Muratović', 'Kalač',
];

/** Netherlands: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const NLD_FAMILY: readonly string[] = [
  'de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit',
  'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker',
  'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'van der Linden', 'Kok', 'Jacobs',
  'de Haan', 'Vermeulen', 'van den Heuvel', 'van der Veen', 'van den Broek', 'de Bruijn', 'de Bruin',
  'van der Heijden', 'Schouten', 'van Beek', 'Willems', 'van Vliet', 'van de Ven', 'Hoekstra', 'Maas',
  'Verhoeven', 'Koster', 'van Dam', 'Prins', 'Blom', 'Huisman', 'Peeters', 'Postma', 'Kuipers',
];

/** Norway: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const NOR_FAMILY: readonly string[] = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen',
  'Karlsen', 'Johnsen', 'Pettersen', 'Eriksen', 'Berg', 'Haugen', 'Hagen', 'Johannessen', 'Andreassen',
  'Jacobsen', 'Dahl', 'Jørgensen', 'Halvorsen', 'Henriksen', 'Lund', 'Sørensen', 'Jakobsen', 'Moen',
  'Gundersen', 'Iversen', 'Strand', 'Solberg', 'Svendsen', 'Eide', 'Knutsen', 'Martinsen', 'Paulsen',
  'Bakken', 'Kristoffersen', 'Mathisen', 'Lie', 'Amundsen', 'Rasmussen', 'Lunde', 'Kristensen', 'Bakke',
  'Berge', 'Moe', 'Nygård', 'Fredriksen', 'Solheim', 'Holm', 'Ødegård',
];

/** New Zealand: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const NZL_FAMILY: readonly string[] = [
  'Smith', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Jones', 'Thompson', 'Anderson', 'Walker', 'White',
  'Harris', 'Martin', 'Clark', 'King', 'Campbell', 'Robinson', 'Young', 'Mitchell', 'Ryan', 'Scott', 'Kelly',
  'Stewart', 'Wright', 'Hall', 'Murphy', 'Thomas', 'Cooper', 'Edwards', 'Morris', 'Evans', 'Johnson', 'Davis',
  'Baker', 'Turner', 'Hughes', 'Watson', 'Reid', 'Fraser', 'McDonald', 'Ngata', 'Parata', 'Tipene', 'Waititi',
  'Te Whata', 'Tamihana', 'Rewi', 'Nikora', 'Poutama', 'Henare', 'Kereama', 'Wihongi', 'Ruru', 'Paewai',
  'Herewini',
];

/** Portugal: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const PRT_FAMILY: readonly string[] = [
  'Silva', 'Santos', 'Ferreira', 'Pereira', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'Jesus', 'Sousa',
  'Fernandes', 'Gonçalves', 'Gomes', 'Lopes', 'Marques', 'Alves', 'Almeida', 'Ribeiro', 'Pinto', 'Carvalho',
  'Teixeira', 'Moreira', 'Correia', 'Mendes', 'Nunes', 'Soares', 'Vieira', 'Monteiro', 'Cardoso', 'Rocha',
  'Neves', 'Coelho', 'Cruz', 'Cunha', 'Pires', 'Ramos', 'Reis', 'Simões', 'Antunes', 'Matos', 'Fonseca',
  'Machado', 'Araújo', 'Barbosa', 'Tavares', 'Lourenço', 'Castro', 'Figueiredo', 'Azevedo', 'Freitas',
  'Magalhães', 'Baptista',
];

/** Romania: family names are not gendered. */
// biome-ignore format: compact multi-name lines keep the reference data readable
const ROU_FAMILY: readonly string[] = [
  'Popa', 'Popescu', 'Pop', 'Radu', 'Dumitru', 'Stan', 'Stoica', 'Gheorghe', 'Matei', 'Ciobanu', 'Ionescu',
  'Rusu', 'Constantin', 'Mihai', 'Munteanu', 'Dinu', 'Marin', 'Ilie', 'Stanciu', 'Georgescu', 'Tudor',
  'Florea', 'Barbu', 'Nistor', 'Dobre', 'Moldovan', 'Lungu', 'Toma', 'Neagu', 'Cristea', 'Diaconu', 'Enache',
  'Sandu', 'Ene', 'Preda', 'Mocanu', 'Oprea', 'Manea', 'Dragomir', 'Ursu', 'Stoian', 'Voicu', 'Nedelcu',
  'Lazăr', 'Anghel', 'Vasile', 'Ardelean', 'Niță', 'Iordache', 'Dumitrescu', 'Coman', 'Bălan', 'Niculescu',
  'Șerban',
];

// biome-ignore format: compact multi-name lines keep the reference data readable
export const NATION_NAMES_M_R: readonly NationNames[] = [
  {
    code: 'MKD',
    name: 'North Macedonia',
    nato: true,
    given: {
      male: [
        'Aleksandar', 'Nikola', 'Stefan', 'Marko', 'Darko', 'Goran', 'Zoran', 'Dejan', 'Igor', 'Vladimir',
        'Filip', 'Bojan', 'Dimitar', 'Petar', 'Martin', 'Kristijan', 'Viktor', 'Toni', 'Blagoja', 'Trajche',
        'Zhivko', 'Gjorgji', 'Ljupcho', 'Kiril', 'Mihail', 'Ilija', 'Antonio', 'David', 'Jovan', 'Andrej',
        'Vasil', 'Dragan', 'Zlatko', 'Vlatko', 'Hristijan', 'Damjan', 'Angel', 'Todor', 'Boris', 'Milan',
        'Nenad', 'Robert', 'Ivan', 'Pavle', 'Luka', 'Mario', 'Daniel', 'Riste', 'Naum', 'Kosta', 'Kliment',
        'Emil', 'Jane',
      ],
      female: [
        'Elena', 'Marija', 'Ana', 'Ivana', 'Sara', 'Mila', 'Jovana', 'Aleksandra', 'Angela', 'Biljana',
        'Snezhana', 'Vesna', 'Gordana', 'Daniela', 'Katerina', 'Simona', 'Teodora', 'Marina', 'Natasha',
        'Monika', 'Irena', 'Jasmina', 'Svetlana', 'Suzana', 'Emilija', 'Tamara', 'Kristina', 'Maja', 'Bojana',
        'Mihaela', 'Sofija', 'Dragana', 'Ljubica', 'Valentina', 'Verica', 'Violeta', 'Zorica', 'Tanja',
        'Marta', 'Evgenija', 'Hristina', 'Jana', 'Nikolina', 'Lidija', 'Magdalena', 'Iva', 'Viktorija',
        'Stefanija', 'Angelina', 'Dushica', 'Frosina', 'Slavica', 'Liljana',
      ],
    },
    family: {
      male: [
        'Stojanovski', 'Trajkovski', 'Nikolovski', 'Petrovski', 'Jovanovski', 'Ristovski', 'Dimitrovski',
        'Angelovski', 'Kostovski', 'Stefanovski', 'Georgievski', 'Todorovski', 'Ilievski', 'Markovski',
        'Pavlovski', 'Spasovski', 'Mitrevski', 'Popovski', 'Velkovski', 'Blazhevski', 'Nedelkovski',
        'Bogdanovski', 'Stoilovski', 'Gjorgjievski', 'Andonovski', 'Naumovski', 'Janevski', 'Kochevski',
        'Trajanovski', 'Dimovski', 'Nikolov', 'Stojanov', 'Petrov', 'Dimitrov', 'Ivanov', 'Jovanov',
        'Georgiev', 'Iliev', 'Angelov', 'Trajkov', 'Mitev', 'Kostov', 'Todorov', 'Zdravkovski', 'Siljanovski',
        'Stojchevski', 'Arsovski', 'Risteski', 'Taleski', 'Sekulovski',
      ],
      female: [
        'Stojanovska', 'Trajkovska', 'Nikolovska', 'Petrovska', 'Jovanovska', 'Ristovska', 'Dimitrovska',
        'Angelovska', 'Kostovska', 'Stefanovska', 'Georgievska', 'Todorovska', 'Ilievska', 'Markovska',
        'Pavlovska', 'Spasovska', 'Mitrevska', 'Popovska', 'Velkovska', 'Blazhevska', 'Nedelkovska',
        'Bogdanovska', 'Stoilovska', 'Gjorgjievska', 'Andonovska', 'Naumovska', 'Janevska', 'Kochevska',
        'Trajanovska', 'Dimovska', 'Nikolova', 'Stojanova', 'Petrova', 'Dimitrova', 'Ivanova', 'Jovanova',
        'Georgieva', 'Ilieva', 'Angelova', 'Trajkova', 'Miteva', 'Kostova', 'Todorova', 'Zdravkovska',
        'Siljanovska', 'Stojchevska', 'Arsovska', 'Risteska', 'Taleska', 'Sekulovska',
      ],
    },
  },
  {
    code: 'MNE',
    name: 'Montenegro',
    nato: true,
    given: {
      male: [
        'Marko', 'Nikola', 'Luka', 'Stefan', 'Milan', 'Miloš', 'Petar', 'Vuk', 'Dejan', 'Nemanja',
        'Aleksandar', 'Filip', 'Igor', 'Vladimir', 'Dragan', 'Goran', 'Zoran', 'Željko', 'Ivan', 'Andrija',
        'Danilo', 'Balša', 'Boris', 'Dušan', 'Vasilije', 'Savo', 'Radovan', 'Nenad', 'Srđan', 'Veselin',
        'Vojin', 'Slobodan', 'Predrag', 'Mladen', 'Darko', 'Đorđe', 'Bojan', 'Miljan', 'Vladan', 'Mirko',
        'Mihailo', 'Lazar', 'Matija', 'Jovan', 'Ognjen', 'Budimir', 'Velibor', 'Adnan', 'Amer', 'Emir',
        'Edin',
      ],
      female: [
        'Milica', 'Jelena', 'Ana', 'Marija', 'Ivana', 'Jovana', 'Tijana', 'Teodora', 'Anđela', 'Sanja',
        'Danijela', 'Dragana', 'Snežana', 'Biljana', 'Vesna', 'Gordana', 'Tamara', 'Nataša', 'Maja', 'Bojana',
        'Jasmina', 'Nevena', 'Katarina', 'Aleksandra', 'Sara', 'Nina', 'Mina', 'Sofija', 'Dijana', 'Ljiljana',
        'Zorica', 'Radmila', 'Vera', 'Andrijana', 'Kristina', 'Irena', 'Slavica', 'Nikolina', 'Marina',
        'Milena', 'Olivera', 'Tatjana', 'Sandra', 'Jelisaveta', 'Anja', 'Lana', 'Emina', 'Amra', 'Selma',
      ],
    },
    family: { male: MNE_FAMILY, female: MNE_FAMILY },
  },
  {
    code: 'NLD',
    name: 'Netherlands',
    nato: true,
    given: {
      male: [
        'Daan', 'Sem', 'Thomas', 'Lucas', 'Jesse', 'Tim', 'Bram', 'Lars', 'Niels', 'Ruben', 'Thijs', 'Stijn',
        'Sander', 'Jeroen', 'Bas', 'Dennis', 'Kevin', 'Mark', 'Martijn', 'Rick', 'Jasper', 'Joost', 'Wouter',
        'Pieter', 'Jan', 'Erik', 'Maarten', 'Michiel', 'Rob', 'Koen', 'Bart', 'Arjen', 'Roel', 'Joris',
        'Mats', 'Luuk', 'Milan', 'Max', 'Gijs', 'Hidde', 'Sven', 'Jelle', 'Robin', 'Remco', 'Wessel', 'Freek',
        'Tom', 'Jorrit', 'Matthijs', 'Hugo',
      ],
      female: [
        'Emma', 'Sophie', 'Julia', 'Lisa', 'Anouk', 'Sanne', 'Fleur', 'Lotte', 'Eva', 'Iris', 'Femke',
        'Laura', 'Marloes', 'Kim', 'Linda', 'Ilse', 'Esther', 'Marieke', 'Inge', 'Annemarie', 'Mariëlle',
        'Anne', 'Charlotte', 'Evelien', 'Manon', 'Kirsten', 'Nicole', 'Sandra', 'Petra', 'Mirjam', 'Renske',
        'Roos', 'Tessa', 'Noa', 'Sara', 'Lieke', 'Maaike', 'Janneke', 'Floor', 'Nina', 'Demi', 'Britt', 'Isa',
        'Merel', 'Romy', 'Saskia', 'Wendy', 'Yvonne', 'Ellen', 'Judith', 'Joyce',
      ],
    },
    family: { male: NLD_FAMILY, female: NLD_FAMILY },
  },
  {
    code: 'NOR',
    name: 'Norway',
    nato: true,
    given: {
      male: [
        'Ole', 'Lars', 'Jan', 'Per', 'Bjørn', 'Kjetil', 'Morten', 'Anders', 'Thomas', 'Martin', 'Kristian',
        'Eirik', 'Erik', 'Magnus', 'Henrik', 'Andreas', 'Jonas', 'Sindre', 'Håkon', 'Espen', 'Stian',
        'Øyvind', 'Trond', 'Geir', 'Tor', 'Knut', 'Rune', 'Vegard', 'Sondre', 'Mathias', 'Fredrik', 'Sander',
        'Markus', 'Tobias', 'Even', 'Jørgen', 'Petter', 'Joakim', 'Ørjan', 'Ståle', 'Simen', 'Emil',
        'Aleksander', 'Kristoffer', 'Daniel', 'Christian', 'Sebastian', 'Marius', 'Tore', 'Håvard',
      ],
      female: [
        'Anne', 'Ingrid', 'Kari', 'Marit', 'Hilde', 'Silje', 'Ida', 'Ingvild', 'Camilla', 'Marte', 'Ane',
        'Maria', 'Nora', 'Emma', 'Sara', 'Thea', 'Julie', 'Hanne', 'Kristin', 'Ragnhild', 'Tone', 'Heidi',
        'Line', 'Linn', 'Siri', 'Mari', 'Karoline', 'Malin', 'Guro', 'Stine', 'Marianne', 'Hege', 'Mona',
        'Elisabeth', 'Kristine', 'Helene', 'Tonje', 'Therese', 'Åse', 'Solveig', 'Sigrid', 'Tuva', 'Vilde',
        'Frida', 'Maren', 'Astrid', 'Trine', 'Randi', 'Mette', 'Ellen',
      ],
    },
    family: { male: NOR_FAMILY, female: NOR_FAMILY },
  },
  {
    code: 'NZL',
    name: 'New Zealand',
    nato: false,
    given: {
      male: [
        'James', 'Daniel', 'Samuel', 'Jack', 'Thomas', 'Benjamin', 'Joshua', 'Liam', 'Ryan', 'Matthew',
        'Michael', 'Luke', 'Nathan', 'Jacob', 'Oliver', 'William', 'George', 'Hamish', 'Angus', 'Jordan',
        'Blake', 'Connor', 'Logan', 'Cameron', 'Tyler', 'Mitchell', 'Bradley', 'Craig', 'Shane', 'Jason',
        'Aaron', 'Scott', 'Andrew', 'Kieran', 'Callum', 'Finn', 'Hunter', 'Nikau', 'Tama', 'Wiremu', 'Rawiri',
        'Hemi', 'Manaia', 'Tane', 'Ihaia', 'Rangi', 'Mikaere', 'Te Ariki', 'Sione', 'Tevita', 'Ruben',
      ],
      female: [
        'Sarah', 'Emma', 'Jessica', 'Hannah', 'Emily', 'Olivia', 'Sophie', 'Grace', 'Rebecca', 'Laura', 'Amy',
        'Rachel', 'Nicole', 'Kate', 'Georgia', 'Ella', 'Chloe', 'Charlotte', 'Amelia', 'Isla', 'Lucy',
        'Holly', 'Zoe', 'Megan', 'Natalie', 'Stephanie', 'Michelle', 'Melissa', 'Kirsty', 'Anna', 'Aroha',
        'Mere', 'Ana', 'Hine', 'Kiri', 'Moana', 'Ngaio', 'Huia', 'Anahera', 'Marama', 'Tui', 'Kahurangi',
        'Maia', 'Lisa', 'Renee', 'Kimberley', 'Courtney', 'Jade', 'Tayla', 'Bridget', 'Hayley',
      ],
    },
    family: { male: NZL_FAMILY, female: NZL_FAMILY },
  },
  {
    code: 'POL',
    name: 'Poland',
    nato: true,
    given: {
      male: [
        'Piotr', 'Krzysztof', 'Andrzej', 'Tomasz', 'Paweł', 'Michał', 'Marcin', 'Jakub', 'Łukasz', 'Adam',
        'Kamil', 'Mateusz', 'Marek', 'Grzegorz', 'Rafał', 'Dariusz', 'Wojciech', 'Mariusz', 'Maciej',
        'Sebastian', 'Dawid', 'Bartosz', 'Szymon', 'Przemysław', 'Robert', 'Kacper', 'Damian', 'Daniel',
        'Artur', 'Patryk', 'Sławomir', 'Jarosław', 'Zbigniew', 'Janusz', 'Jerzy', 'Adrian', 'Hubert', 'Filip',
        'Konrad', 'Radosław', 'Norbert', 'Karol', 'Jacek', 'Arkadiusz', 'Dominik', 'Mirosław', 'Sylwester',
        'Wiktor', 'Igor', 'Jan', 'Oskar',
      ],
      female: [
        'Anna', 'Katarzyna', 'Maria', 'Małgorzata', 'Agnieszka', 'Barbara', 'Ewa', 'Krystyna', 'Magdalena',
        'Elżbieta', 'Joanna', 'Aleksandra', 'Monika', 'Zofia', 'Teresa', 'Natalia', 'Danuta', 'Karolina',
        'Marta', 'Beata', 'Dorota', 'Julia', 'Justyna', 'Paulina', 'Jolanta', 'Iwona', 'Weronika', 'Aneta',
        'Sylwia', 'Martyna', 'Wiktoria', 'Patrycja', 'Kinga', 'Dominika', 'Izabela', 'Emilia', 'Klaudia',
        'Edyta', 'Renata', 'Alicja', 'Agata', 'Urszula', 'Kamila', 'Żaneta', 'Gabriela', 'Oliwia', 'Milena',
        'Anita', 'Ilona',
      ],
    },
    family: {
      male: [
        'Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński',
        'Szymański', 'Woźniak', 'Dąbrowski', 'Kozłowski', 'Jankowski', 'Mazur', 'Wojciechowski',
        'Kwiatkowski', 'Krawczyk', 'Kaczmarek', 'Piotrowski', 'Grabowski', 'Zając', 'Pawłowski', 'Michalski',
        'Król', 'Nowakowski', 'Wieczorek', 'Wróbel', 'Jabłoński', 'Wróblewski', 'Majewski', 'Olszewski',
        'Stępień', 'Malinowski', 'Jaworski', 'Adamczyk', 'Dudek', 'Nowicki', 'Pawlak', 'Górski', 'Witkowski',
        'Walczak', 'Sikora', 'Baran', 'Rutkowski', 'Michalak', 'Szewczyk', 'Ostrowski', 'Tomaszewski',
        'Pietrzak', 'Zalewski',
      ],
      female: [
        'Nowak', 'Kowalska', 'Wiśniewska', 'Wójcik', 'Kowalczyk', 'Kamińska', 'Lewandowska', 'Zielińska',
        'Szymańska', 'Woźniak', 'Dąbrowska', 'Kozłowska', 'Jankowska', 'Mazur', 'Wojciechowska',
        'Kwiatkowska', 'Krawczyk', 'Kaczmarek', 'Piotrowska', 'Grabowska', 'Zając', 'Pawłowska', 'Michalska',
        'Król', 'Nowakowska', 'Wieczorek', 'Wróbel', 'Jabłońska', 'Wróblewska', 'Majewska', 'Olszewska',
        'Stępień', 'Malinowska', 'Jaworska', 'Adamczyk', 'Dudek', 'Nowicka', 'Pawlak', 'Górska', 'Witkowska',
        'Walczak', 'Sikora', 'Baran', 'Rutkowska', 'Michalak', 'Szewczyk', 'Ostrowska', 'Tomaszewska',
        'Pietrzak', 'Zalewska',
      ],
    },
  },
  {
    code: 'PRT',
    name: 'Portugal',
    nato: true,
    given: {
      male: [
        'João', 'Pedro', 'Tiago', 'Diogo', 'Rui', 'Ricardo', 'Nuno', 'Miguel', 'Bruno', 'André', 'Luís',
        'José', 'Carlos', 'Paulo', 'Hugo', 'Gonçalo', 'Rodrigo', 'Filipe', 'Daniel', 'Fábio', 'Marco',
        'Sérgio', 'Vítor', 'Jorge', 'António', 'Francisco', 'Manuel', 'Duarte', 'Tomás', 'Martim', 'Afonso',
        'Rafael', 'Gabriel', 'Samuel', 'David', 'Henrique', 'Joel', 'Hélder', 'Fernando', 'Mário', 'Renato',
        'Álvaro', 'Guilherme', 'Leonardo', 'Vasco', 'Simão', 'Eduardo', 'Gustavo', 'Márcio', 'Cristiano',
      ],
      female: [
        'Ana', 'Maria', 'Joana', 'Inês', 'Catarina', 'Sofia', 'Beatriz', 'Mariana', 'Rita', 'Marta', 'Sara',
        'Patrícia', 'Cláudia', 'Sandra', 'Susana', 'Carla', 'Andreia', 'Vanessa', 'Daniela', 'Diana',
        'Filipa', 'Raquel', 'Liliana', 'Tânia', 'Sónia', 'Mónica', 'Cátia', 'Helena', 'Teresa', 'Isabel',
        'Cristina', 'Carolina', 'Leonor', 'Matilde', 'Margarida', 'Francisca', 'Bárbara', 'Juliana', 'Bruna',
        'Jéssica', 'Vera', 'Célia', 'Paula', 'Fernanda', 'Lúcia', 'Alexandra', 'Marisa', 'Rosa', 'Débora',
        'Elisa',
      ],
    },
    family: { male: PRT_FAMILY, female: PRT_FAMILY },
  },
  {
    code: 'ROU',
    name: 'Romania',
    nato: true,
    given: {
      male: [
        'Andrei', 'Alexandru', 'Ion', 'Gheorghe', 'Mihai', 'Constantin', 'Ștefan', 'Florin', 'Adrian',
        'Daniel', 'Cristian', 'Marius', 'Ionuț', 'Bogdan', 'George', 'Gabriel', 'Vlad', 'Răzvan', 'Cătălin',
        'Sorin', 'Ciprian', 'Lucian', 'Dragoș', 'Radu', 'Vasile', 'Nicolae', 'Costel', 'Dan', 'Iulian',
        'Claudiu', 'Ovidiu', 'Viorel', 'Valentin', 'Cosmin', 'Sebastian', 'Robert', 'Alin', 'Emil', 'Liviu',
        'Marian', 'Laurențiu', 'Eduard', 'Paul', 'Tudor', 'Silviu', 'Petru', 'Octavian', 'Horia', 'Mircea',
        'Victor', 'Matei',
      ],
      female: [
        'Maria', 'Elena', 'Ioana', 'Andreea', 'Mihaela', 'Alexandra', 'Ana', 'Cristina', 'Gabriela',
        'Daniela', 'Alina', 'Florentina', 'Roxana', 'Simona', 'Georgiana', 'Nicoleta', 'Raluca', 'Diana',
        'Adriana', 'Monica', 'Ramona', 'Oana', 'Corina', 'Irina', 'Laura', 'Bianca', 'Denisa', 'Larisa',
        'Iuliana', 'Loredana', 'Anca', 'Camelia', 'Claudia', 'Luminița', 'Mirela', 'Cătălina', 'Ionela',
        'Alexia', 'Ecaterina', 'Teodora', 'Sorina', 'Lavinia', 'Delia', 'Carmen', 'Violeta', 'Mădălina',
        'Valentina', 'Cosmina', 'Ștefania', 'Antonia', 'Sabina',
      ],
    },
    family: { male: ROU_FAMILY, female: ROU_FAMILY },
  },
];
