/* kac-demo-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo's fictional week. The numbers follow the public figures in DOMAIN.md: a centre
 * registers a handful to a few dozen cases a day, somewhat more consultations and information
 * than applications, most of them in person.
 */
#define G_LOG_DOMAIN "kac-demo-data"

#include "config.h"

#include "kac-demo-data.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kac-calendar.h"
#include "kac-central-auth.h"
#include "kac-central-store-materials.h"
#include "kac-record.h"
#include "kac-service.h"
#include "kac-wire.h"

/* The same week every time: the seed fixes the choices, the calendar moves the days. */
#define DEMO_SEED 20260401

static const KacDemoUser demo_users[] = {
  { "ilze", "Ilze Kalniņa", KAC_CENTRAL_ROLE_CLERK },
  { "janis", "Jānis Ozoliņš", KAC_CENTRAL_ROLE_CLERK },
  { "marta", "Marta Liepiņa", KAC_CENTRAL_ROLE_CLERK },
  { "daina", "Daina Bērziņa", KAC_CENTRAL_ROLE_MANAGER },
  { NULL, NULL, 0 },
};

/* The clerks who register, with how much of the work each does. */
static const struct { const char *username; guint weight; } registering_clerks[] = {
  { "ilze", 40 }, { "janis", 35 }, { "marta", 25 },
};

static const char *female_first[] = {
  "Anna", "Līga", "Inese", "Kristīne", "Laura", "Elīna", "Dace", "Zane", "Sandra", "Baiba",
  "Ieva", "Agnese", "Rūta", "Vija", "Aija",
};
static const char *male_first[] = {
  "Jānis", "Andris", "Mārtiņš", "Kārlis", "Edgars", "Artūrs", "Roberts", "Pēteris", "Aivars",
  "Raivis", "Toms", "Valdis", "Guntis", "Uldis", "Normunds",
};
/* Male and female forms. */
static const char *surnames[][2] = {
  { "Bērziņš", "Bērziņa" }, { "Kalniņš", "Kalniņa" }, { "Ozoliņš", "Ozoliņa" },
  { "Jansons", "Jansone" }, { "Liepiņš", "Liepiņa" }, { "Krūmiņš", "Krūmiņa" },
  { "Balodis", "Balode" }, { "Eglītis", "Eglīte" }, { "Zariņš", "Zariņa" },
  { "Pētersons", "Pētersone" }, { "Vītols", "Vītola" }, { "Kļaviņš", "Kļaviņa" },
  { "Ābols", "Ābola" }, { "Siliņš", "Siliņa" }, { "Lācis", "Lāce" }, { "Auziņš", "Auziņa" },
  { "Vilks", "Vilka" }, { "Grīnbergs", "Grīnberga" },
};

/* Notes are what a clerk would type, in Latvian: data, not interface text. */
static const char *complaint_notes[] = {
  "Klients sūdzas par garo gaidīšanas laiku rindā pie speciālista.",
  "Neapmierināts, ka iesniegums bija jānes vēlreiz ar papildu dokumentu.",
};
static const char *question_notes[] = {
  "Jautā, kurā dienā centrā pieņem VID speciālists.",
  "Vēlas zināt, cik ilgi jāgaida atbilde par pabalstu.",
};
static const char *suggestion_notes[] = {
  "Ierosina ceturtdienās pagarināt pieņemšanas laiku līdz 19.00.",
  "Iesaka pie ieejas izvietot norādes uz centru.",
};

/* Kinds and channels with their shares (per cent). */
static const struct { KacRecordKind kind; guint weight; } kind_weights[] = {
  { KAC_RECORD_KIND_INFORMATION, 34 },
  { KAC_RECORD_KIND_APPLICATION, 30 },
  { KAC_RECORD_KIND_CONSULTATION_ESERVICES, 13 },
  { KAC_RECORD_KIND_CONSULTATION_EADDRESS, 8 },
  { KAC_RECORD_KIND_QUESTION, 7 },
  { KAC_RECORD_KIND_COMPLAINT, 4 },
  { KAC_RECORD_KIND_SUGGESTION, 4 },
};
static const struct { KacChannel channel; guint weight; } channel_weights[] = {
  { KAC_CHANNEL_IN_PERSON, 62 },
  { KAC_CHANNEL_PHONE, 20 },
  { KAC_CHANNEL_ELECTRONIC, 13 },
  { KAC_CHANNEL_POST, 5 },
};

/* Helpers */

static guint
pick_weighted (GRand       *rand,
               const guint *weights,
               gsize        stride,
               guint        n)
{
  guint total = 0;
  guint roll;

  for (guint i = 0; i < n; i++)
    total += *(const guint *) ((const char *) weights + i * stride);
  roll = g_rand_int_range (rand, 0, (gint32) total);
  for (guint i = 0; i < n; i++)
    {
      guint weight = *(const guint *) ((const char *) weights + i * stride);

      if (roll < weight)
        return i;
      roll -= weight;
    }

  return n - 1;
}

/* A new-format personal code (DOMAIN.md): 3, then 2–9, then nine random digits. */
static char *
make_personal_code (GRand *rand)
{
  return g_strdup_printf ("3%d%04d-%05d",
                          g_rand_int_range (rand, 2, 10),
                          g_rand_int_range (rand, 0, 10000),
                          g_rand_int_range (rand, 0, 100000));
}

static char *
make_client_name (GRand *rand)
{
  gboolean female = g_rand_boolean (rand);
  const char *first = female
    ? female_first[g_rand_int_range (rand, 0, G_N_ELEMENTS (female_first))]
    : male_first[g_rand_int_range (rand, 0, G_N_ELEMENTS (male_first))];
  const char *surname = surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))][female ? 1 : 0];

  return g_strdup_printf ("%s %s", first, surname);
}

static const char *
pick_note (GRand        *rand,
           const char  **notes,
           guint         n)
{
  return notes[g_rand_int_range (rand, 0, (gint32) n)];
}

static const char *
pick_clerk (GRand *rand)
{
  guint i = pick_weighted (rand, &registering_clerks[0].weight, sizeof registering_clerks[0],
                           G_N_ELEMENTS (registering_clerks));

  return registering_clerks[i].username;
}

/* A registration as a clerk would make it, valid against @catalog. */
static KacRecord *
make_record (GRand        *rand,
             GListModel   *services,
             const char   *clerk,
             GDateTime    *created_at,
             GError      **error)
{
  KacRecordKind kind;
  KacChannel channel;
  g_autoptr(KacRecord) record = NULL;

  kind = kind_weights[pick_weighted (rand, &kind_weights[0].weight, sizeof kind_weights[0],
                                     G_N_ELEMENTS (kind_weights))].kind;
  channel = channel_weights[pick_weighted (rand, &channel_weights[0].weight, sizeof channel_weights[0],
                                           G_N_ELEMENTS (channel_weights))].channel;
  /* Electronic-services consultations happen face to face or on the phone. */
  if (kind == KAC_RECORD_KIND_CONSULTATION_ESERVICES || kind == KAC_RECORD_KIND_CONSULTATION_EADDRESS)
    channel = g_rand_int_range (rand, 0, 4) == 0 ? KAC_CHANNEL_PHONE : KAC_CHANNEL_IN_PERSON;

  record = g_object_new (KAC_TYPE_RECORD,
                         "kind", kind,
                         "created-at", created_at,
                         NULL);
  kac_record_set_channel (record, channel);
  kac_record_set_clerk (record, clerk);
  kac_record_set_centre_id (record, KAC_DEMO_CENTRE_ID);

  if (kac_record_kind_get_service_requirement (kind) == KAC_REQUIREMENT_REQUIRED
      || (kac_record_kind_get_service_requirement (kind) == KAC_REQUIREMENT_OPTIONAL
          && g_rand_int_range (rand, 0, 3) != 0))
    {
      guint n = g_list_model_get_n_items (services);
      g_autoptr(KacService) service = g_list_model_get_item (services, g_rand_int_range (rand, 0, (gint32) n));

      kac_record_set_service (record, service);
    }

  if (kac_record_kind_get_client_requirement (kind) == KAC_REQUIREMENT_REQUIRED
      || (kac_record_kind_get_client_requirement (kind) == KAC_REQUIREMENT_OPTIONAL
          && g_rand_boolean (rand)))
    {
      g_autofree char *name = make_client_name (rand);
      g_autofree char *code = make_personal_code (rand);

      kac_record_set_client_name (record, name);
      kac_record_set_client_code (record, code);
    }

  switch (kind)
    {
    case KAC_RECORD_KIND_COMPLAINT:
      kac_record_set_notes (record, pick_note (rand, complaint_notes, G_N_ELEMENTS (complaint_notes)));
      break;
    case KAC_RECORD_KIND_QUESTION:
      kac_record_set_notes (record, pick_note (rand, question_notes, G_N_ELEMENTS (question_notes)));
      break;
    case KAC_RECORD_KIND_SUGGESTION:
      kac_record_set_notes (record, pick_note (rand, suggestion_notes, G_N_ELEMENTS (suggestion_notes)));
      break;
    default:
      break;
    }

  /* About half of the clients seen in person answer the satisfaction question; most are
   * content. */
  if (channel == KAC_CHANNEL_IN_PERSON && g_rand_boolean (rand))
    {
      static const int scores[] = { 5, 5, 5, 5, 4, 4, 4, 3, 2 };

      kac_record_set_satisfaction (record, scores[g_rand_int_range (rand, 0, G_N_ELEMENTS (scores))]);
    }

  if (!kac_record_validate (record, NULL, error))
    return NULL;

  return g_steal_pointer (&record);
}

/* An instant on @day in Latvia, @minute minutes after midnight, in UTC. */
static GDateTime *
make_instant (const GDate *day,
              guint        minute)
{
  g_autoptr(GDateTime) local = g_date_time_new (kac_calendar_get_time_zone (),
                                                g_date_get_year (day), g_date_get_month (day),
                                                g_date_get_day (day), minute / 60, minute % 60,
                                                0);

  return g_date_time_to_utc (local);
}

static void
date_string (const GDate *date,
             char         buffer[11])
{
  g_snprintf (buffer, 11, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

typedef struct
{
  char      *uuid;
  GDateTime *created_at;
  GDate      day;
} SeededApplication;

static void
seeded_application_free (SeededApplication *application)
{
  g_free (application->uuid);
  g_date_time_unref (application->created_at);
  g_free (application);
}

/* Stores @record as kac-central does for a batch item: its canonical body and hash, the
 * institution of its service, received a few minutes after it was made. */
static gboolean
insert_record (KacCentralStore  *store,
               KacCatalog       *catalog,
               KacRecord        *record,
               GHashTable       *users,
               GRand            *rand,
               GError          **error)
{
  g_autofree char *body = kac_wire_encode_record (record);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);
  g_autofree char *number = NULL;
  g_autoptr(GDateTime) received = g_date_time_add_seconds (kac_record_get_created_at (record),
                                                           g_rand_int_range (rand, 5, 600));
  KacCentralUser *user = g_hash_table_lookup (users, kac_record_get_clerk (record));
  KacService *service = NULL;

  g_assert (user != NULL);
  if (!kac_record_validate (record, catalog, error))
    return FALSE;
  if (kac_record_get_service_code (record) != NULL)
    service = kac_catalog_lookup (catalog, kac_record_get_service_code (record));

  number = kac_central_store_insert_record (store, record, body, hash,
                                            service != NULL ? kac_service_get_institution_code (service) : NULL,
                                            user, received, error);

  return number != NULL;
}

/* The institutions' side: older applications were forwarded, the oldest of those mostly
 * completed; one forwarded application is past its due date (overdue). */
static gboolean
move_statuses (KacCentralStore  *store,
               KacCalendar      *calendar,
               GPtrArray        *applications,
               const GDate      *today,
               GRand            *rand,
               GError          **error)
{
  gboolean overdue_made = FALSE;

  for (guint i = 0; i < applications->len; i++)
    {
      SeededApplication *application = g_ptr_array_index (applications, i);
      int age = kac_calendar_working_days_between (calendar, &application->day, today);
      g_autoptr(GDateTime) forwarded_at = NULL;
      g_autoptr(GDateTime) completed_at = NULL;
      GDate due;
      char due_text[11];

      if (age < 2 || g_rand_int_range (rand, 0, 10) >= 8)
        continue;

      forwarded_at = g_date_time_add_hours (application->created_at, g_rand_int_range (rand, 2, 20));
      due = application->day;
      if (!overdue_made)
        {
          /* The oldest one: due yesterday's working day, not done. */
          due = *today;
          g_date_subtract_days (&due, 1);
          overdue_made = TRUE;
        }
      else
        kac_calendar_add_working_days (calendar, &due, 10);
      date_string (&due, due_text);

      if (!kac_central_store_set_status (store, application->uuid, KAC_APPLICATION_STATUS_FORWARDED,
                                         due_text, NULL, NULL, "demo", forwarded_at, error))
        return FALSE;

      if (g_date_compare (&due, today) < 0 || age < 4 || g_rand_boolean (rand))
        continue;

      completed_at = g_date_time_add_days (forwarded_at, g_rand_int_range (rand, 1, 3));
      if (!kac_central_store_set_status (store, application->uuid, KAC_APPLICATION_STATUS_COMPLETED,
                                         NULL, NULL, NULL, "demo", completed_at, error))
        return FALSE;
    }

  return TRUE;
}

/* Materials and notices */

/* The institutions' methodological materials (MK 401 §15.2, §18.2), in Latvian as the
 * institutions write them: data, not interface text. Fictional, and each says so at its end,
 * so that nobody takes a trainer's example for an institution's instruction. */
#define DEMO_MATERIAL_FOOTER \
  "\n\n*Demonstrācijas materiāls: saturs ir izdomāts mācībām un nav iestādes norādījums.*\n"

typedef struct
{
  const char *institution;
  const char *title;
  const char *services[4];
  int         days_ago;        /* when it was published */
  const char *body;
} DemoMaterial;

static const DemoMaterial demo_materials[] = {
  { "VSAA", "Bērna kopšanas un bērna piedzimšanas pabalsta pieprasīšana",
    { "VSAA-04", "VSAA-05", "VSAA-06", NULL }, 34,
    "# Bērna kopšanas un bērna piedzimšanas pabalsts\n"
    "\n"
    "Klientu apkalpošanas centrā iesniegumu var pieņemt no **viena no bērna vecākiem** vai no "
    "personas, kas faktiski kopj bērnu.\n"
    "\n"
    "## Pirms iesnieguma pieņemšanas\n"
    "- Pārbaudiet klienta personu apliecinošu dokumentu.\n"
    "- Noskaidrojiet, vai bērna dzimšana jau ir reģistrēta.\n"
    "- Pajautājiet, kurā kontā klients vēlas saņemt pabalstu.\n"
    "\n"
    "## Iesnieguma pieņemšana\n"
    "1. Aizpildiet iesniegumu kopā ar klientu.\n"
    "2. Lūdziet klientu parakstīt iesniegumu un pārbaudiet parakstu.\n"
    "3. Reģistrējiet iesniegumu KAC darbvietā kā *pieteikumu* ar pakalpojumu un kanālu.\n"
    "4. Nosūtiet iesniegumu VSAA tās pašas darba dienas laikā.\n"
    "\n"
    "## Ko pateikt klientam\n"
    "Lēmumu VSAA pieņem un paziņo klientam pati. Lēmuma statusu klients var redzēt portālā "
    "[latvija.gov.lv](https://www.latvija.gov.lv).\n" },
  { "VID", "Gada ienākumu deklarācija: palīdzība klientam EDS",
    { "VID-01", "VID-03", NULL }, 21,
    "# Gada ienākumu deklarācija\n"
    "\n"
    "Lielākā daļa klientu deklarāciju var iesniegt **pašu spēkiem** Elektroniskās deklarēšanas "
    "sistēmā (EDS). Centra darbinieks palīdz, bet klienta vietā deklarāciju neparaksta.\n"
    "\n"
    "## Pieslēgšanās EDS\n"
    "- Ar internetbankas rīkiem, eID karti vai eParakstu mobile.\n"
    "- Ja klientam nav neviena no tiem, reģistrējiet *informācijas sniegšanu* un ieteiciet "
    "pieteikties EDS lietošanai.\n"
    "\n"
    "## Biežākie jautājumi\n"
    "1. **Attaisnotie izdevumi**: čeki nav jāpievieno, ja maksājums ir redzams EDS.\n"
    "2. **Pārmaksātais nodoklis** tiek atmaksāts uz deklarācijā norādīto kontu.\n"
    "3. Ja klients vēlas labot iesniegtu deklarāciju, iesniedz *precizētu* deklarāciju.\n"
    "\n"
    "Sarežģītos gadījumos piedāvājiet videokonsultāciju ar VID speciālistu.\n" },
  { "PMLP", "Pases un personas apliecības pieteikšana",
    { "PMLP-02", "PMLP-03", "PMLP-04", NULL }, 45,
    "# Pases un eID kartes pieteikšana\n"
    "\n"
    "Pievienotajā pārbaudes lapā ir soļi, kas jāizdara katram pieteikumam.\n"
    "\n"
    "## Klientam līdzi jābūt\n"
    "- derīgam personu apliecinošam dokumentam (ja tāds ir);\n"
    "- bērniem līdz 13 gadu vecumam: vienam no vecākiem vai likumiskajam pārstāvim.\n"
    "\n"
    "## Nozaudēts vai nozagts dokuments\n"
    "Vispirms pieņemiet iesniegumu par dokumenta **atzīšanu par nederīgu**, tad jauna "
    "dokumenta pieteikumu.\n"
    "\n"
    "## Izsniegšana\n"
    "Klients izvēlas, kurā iestādes nodaļā dokumentu saņems; norādiet to piezīmēs.\n" },
  { "PMLP", "Dzīvesvietas deklarēšana",
    { "PMLP-01", NULL }, 60,
    "# Dzīvesvietas deklarēšana\n"
    "\n"
    "Deklarēt dzīvesvietu var arī elektroniski; centrā palīdziet to izdarīt klientam pašam.\n"
    "\n"
    "## Pārbaudiet\n"
    "- vai klients ir īpašnieks vai viņam ir tiesības dzīvot mājoklī;\n"
    "- vai adrese ir Valsts adrešu reģistrā;\n"
    "- vai deklarē arī nepilngadīgos bērnus.\n"
    "\n"
    "Ja īpašnieks nav klāt, vajadzīga viņa **piekrišana**.\n" },
  { "NVA", "Bezdarbnieka statusa pieteikšana",
    { "NVA-01", "NVA-02", NULL }, 14,
    "# Bezdarbnieka vai darba meklētāja statuss\n"
    "\n"
    "Statusu klients var pieteikt elektroniski vai klātienē. Centrā pieņemiet pieteikumu, ja "
    "NVA speciālists šobrīd klientu apkalpot nevar.\n"
    "\n"
    "## Jautājiet klientam\n"
    "1. Vai viņš šobrīd strādā vai mācās klātienē?\n"
    "2. Vai ir reģistrējies NVA CV un vakanču portālā?\n"
    "3. Kāda ir viņa pēdējā darba vieta un izglītība?\n"
    "\n"
    "## Pēc pieņemšanas\n"
    "- Pasakiet, ka NVA sazināsies ar klientu par pirmo tikšanos.\n"
    "- Atgādiniet, ka bezdarbnieka pabalstu pieprasa **VSAA**.\n" },
  { "VZD", "Izziņas no kadastra un adrešu reģistra",
    { "VZD-04", "VZD-05", "VZD-06", NULL }, 28,
    "# Izziņas no kadastra un adrešu reģistra\n"
    "\n"
    "Daudzas ziņas par nekustamo īpašumu klients var atrast pats portālā "
    "[kadastrs.lv](https://www.kadastrs.lv).\n"
    "\n"
    "## Kad vajadzīga izziņa\n"
    "- bankai vai tiesai;\n"
    "- mantojuma lietai;\n"
    "- lai pārbaudītu **kadastrālo vērtību** nodokļa aprēķinam.\n"
    "\n"
    "## Reģistrējot\n"
    "Norādiet kadastra numuru vai adresi piezīmēs. Izziņu klientam nosūta uz oficiālo "
    "elektronisko adresi vai e-pastu.\n" },
  { "UR", "SIA reģistrācija un patiesā labuma guvēji",
    { "UR-02", "UR-05", NULL }, 9,
    "# SIA reģistrācija\n"
    "\n"
    "Dibināšanas dokumentus klients var iesniegt elektroniski, ja tie parakstīti ar drošu "
    "elektronisko parakstu. Centrā palīdziet sagatavot iesniegumu.\n"
    "\n"
    "## Dokumenti\n"
    "- dibināšanas lēmums vai līgums;\n"
    "- statūti;\n"
    "- ziņas par **patiesā labuma guvējiem**.\n"
    "\n"
    "## Patiesā labuma guvējs\n"
    "Ja klients nezina, kas ir patiesā labuma guvējs, izskaidrojiet: tā ir fiziska persona, "
    "kurai pieder vai kura kontrolē sabiedrību.\n" },
};

/* The new text of the first material (VSAA), published two days ago: a changed rule the
 * desk flags as updated. */
static const char *demo_material_update =
  "# Bērna kopšanas un bērna piedzimšanas pabalsts\n"
  "\n"
  "**Jaunums:** no šīs nedēļas iesniegumu var pieņemt arī no pilnvarotas personas, ja tai ir "
  "notariāli apliecināta pilnvara. Pilnvaras kopiju pievienojiet iesniegumam.\n"
  "\n"
  "Klientu apkalpošanas centrā iesniegumu var pieņemt no **viena no bērna vecākiem**, no "
  "personas, kas faktiski kopj bērnu, vai no viņu pilnvarotas personas.\n"
  "\n"
  "## Pirms iesnieguma pieņemšanas\n"
  "- Pārbaudiet klienta personu apliecinošu dokumentu.\n"
  "- Pilnvarotai personai: pārbaudiet pilnvaru un tās derīgumu.\n"
  "- Noskaidrojiet, vai bērna dzimšana jau ir reģistrēta.\n"
  "- Pajautājiet, kurā kontā klients vēlas saņemt pabalstu.\n"
  "\n"
  "## Iesnieguma pieņemšana\n"
  "1. Aizpildiet iesniegumu kopā ar klientu.\n"
  "2. Lūdziet klientu parakstīt iesniegumu un pārbaudiet parakstu.\n"
  "3. Reģistrējiet iesniegumu KAC darbvietā kā *pieteikumu* ar pakalpojumu un kanālu.\n"
  "4. Nosūtiet iesniegumu VSAA tās pašas darba dienas laikā.\n"
  "\n"
  "## Ko pateikt klientam\n"
  "Lēmumu VSAA pieņem un paziņo klientam pati. Lēmuma statusu klients var redzēt portālā "
  "[latvija.gov.lv](https://www.latvija.gov.lv).\n";

/* The attachment of the PMLP material: a one-page checklist, drawn as a PDF. */
static const char *demo_checklist_lines[] = {
  "Pases un personas apliecības pieteikuma pārbaudes lapa",
  "",
  "[ ]  Klienta identitāte pārbaudīta",
  "[ ]  Nederīgais dokuments atzīts par nederīgu (ja nozaudēts)",
  "[ ]  Bērnam līdz 13 gadiem klāt vecāks vai pārstāvis",
  "[ ]  Norādīta izsniegšanas vieta",
  "[ ]  Pieteikums reģistrēts KAC darbvietā",
  "",
  "Demonstrācijas materiāls: izdomāts mācībām.",
};

static cairo_status_t
append_to_array_cb (void                *closure,
                    const unsigned char *data,
                    unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
make_checklist_pdf (GError **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  /* A4 in points. */
  surface = cairo_pdf_surface_create_for_stream (append_to_array_cb, pdf, 595, 842);
  cr = cairo_create (surface);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  for (guint i = 0; i < G_N_ELEMENTS (demo_checklist_lines); i++)
    {
      cairo_set_font_size (cr, i == 0 ? 16 : 12);
      cairo_move_to (cr, 60, 90 + 28 * i);
      cairo_show_text (cr, demo_checklist_lines[i]);
    }
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   /* Translators: %s is cairo's explanation. */
                   _("The demo’s sample PDF cannot be made: %s"), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

static KacWireMaterial *
publish_material (KacCentralStore     *store,
                  const char          *id,
                  const DemoMaterial  *material,
                  const char          *body,
                  const char          *attachment_sha256,
                  GDateTime           *published_at,
                  GError             **error)
{
  g_autoptr(KacWireMaterial) request = kac_wire_material_new ();
  g_autofree char *actor = g_strdup_printf ("%s (demo)", material->institution);

  request->title = g_strdup (material->title);
  request->services = g_strdupv ((char **) material->services);
  request->body = g_strconcat (body, DEMO_MATERIAL_FOOTER, NULL);
  if (attachment_sha256 != NULL)
    g_ptr_array_add (request->attachments,
                     kac_wire_attachment_new (attachment_sha256, "parbaudes-lapa.pdf", NULL, 0));

  return kac_central_store_publish_material (store, id, request, material->institution, 0, actor,
                                             published_at, error);
}

/* One of the demo centre's staff notices as its institution sends it. */
typedef struct
{
  char          *institution;
  KacWireNotice *request;
  GDateTime     *sent_at;
} DemoNotice;

static void
demo_notice_free (DemoNotice *notice)
{
  g_free (notice->institution);
  kac_wire_notice_free (notice->request);
  g_date_time_unref (notice->sent_at);
  g_free (notice);
}

static gint
compare_sent_at (gconstpointer a,
                 gconstpointer b)
{
  const DemoNotice *na = *(DemoNotice **) a;
  const DemoNotice *nb = *(DemoNotice **) b;

  return g_date_time_compare (na->sent_at, nb->sent_at);
}

/* Takes @starts_at, @ends_at and @sent_at. */
static KacWireNotice *
add_notice (GPtrArray     *notices,
            const char    *institution,
            KacNoticeKind  kind,
            const char    *position,
            const char    *name,
            GDateTime     *starts_at,
            GDateTime     *ends_at,
            const char    *note,
            GDateTime     *sent_at)
{
  static const char *centres[] = { KAC_DEMO_CENTRE_ID, NULL };
  DemoNotice *notice = g_new0 (DemoNotice, 1);
  KacWireNotice *request = kac_wire_notice_new ();

  request->kind = kind;
  request->centres = g_strdupv ((char **) centres);
  request->position = g_strdup (position);
  request->name = g_strdup (name);
  request->starts_at = starts_at;
  request->ends_at = ends_at;
  request->note = g_strdup (note);

  notice->institution = g_strdup (institution);
  notice->request = request;
  notice->sent_at = sent_at;
  g_ptr_array_add (notices, notice);

  return request;
}

/* Weekly reception hours from @from to @to (minutes) on the weekdays of @days (bit d for day
 * d, 1 = Monday). With @cover_now, also today, widened to cover the present minute: a trainer
 * who starts the demo in the evening or at a weekend still sees a specialist at the desk. */
static void
set_hours (KacWireNotice *notice,
           guint          days,
           guint          from,
           guint          to,
           gboolean       cover_now,
           GDateTime     *local_now)
{
  guint today = (guint) g_date_time_get_day_of_week (local_now);
  guint minute = (guint) (g_date_time_get_hour (local_now) * 60 + g_date_time_get_minute (local_now));

  if (cover_now)
    days |= 1u << today;

  for (guint day = 1; day <= 7; day++)
    {
      KacWireHours hours = { day, from, to };

      if ((days & (1u << day)) == 0)
        continue;
      if (cover_now && day == today)
        {
          if (minute < hours.from_minute)
            hours.from_minute = minute / 60 * 60;
          if (minute >= hours.to_minute)
            hours.to_minute = MIN (24 * 60, (minute / 60 + 2) * 60);
        }
      g_array_append_val (notice->hours, hours);
    }
}

#define WEEKDAYS ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5))

/* The demo centre's notices as they should be at @now: every kind of §19, and for today a
 * present specialist (VSAA), an absent one without a substitute (NVA), an active substitution
 * (VID), one who comes on other days (PMLP, with new hours announced for later) and one who
 * starts in five working days (VZD). */
static GPtrArray *
make_notices (KacCalendar *calendar,
              GDateTime   *now)
{
  g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_notice_free);
  g_autoptr(GDateTime) local_now = g_date_time_to_timezone (now, kac_calendar_get_time_zone ());
  guint weekday = (guint) g_date_time_get_day_of_week (local_now);
  /* PMLP's specialist comes on other working days than today. */
  guint pmlp_day = weekday % 5 + 1;
  guint pmlp_day2 = (weekday + 2) % 5 + 1;
  KacWireNotice *notice;
  GDate today, tomorrow, after_tomorrow, weeks_ago, soon, later;

  kac_calendar_date_of (now, &today);
  tomorrow = after_tomorrow = weeks_ago = soon = later = today;
  g_date_add_days (&tomorrow, 1);
  g_date_add_days (&after_tomorrow, 2);
  g_date_subtract_days (&weeks_ago, 42);
  kac_calendar_add_working_days (calendar, &soon, 5);
  kac_calendar_add_working_days (calendar, &later, 7);

  /* §19.1: the specialists assigned to the centre six weeks ago, with their weekly hours. */
  notice = add_notice (notices, "VSAA", KAC_NOTICE_KIND_SPECIALIST_ASSIGNED,
                       "klientu apkalpošanas speciāliste", "Anna Liepa",
                       make_instant (&weeks_ago, 0), NULL, NULL,
                       g_date_time_add_days (now, -50));
  set_hours (notice, (1u << 1) | (1u << 3) | (1u << 5), 9 * 60, 16 * 60, TRUE, local_now);

  notice = add_notice (notices, "VID", KAC_NOTICE_KIND_SPECIALIST_ASSIGNED,
                       "nodokļu konsultants", "Edgars Kalniņš",
                       make_instant (&weeks_ago, 0), NULL, NULL,
                       g_date_time_add_days (now, -49));
  set_hours (notice, (1u << 2) | (1u << 4), 9 * 60, 15 * 60, TRUE, local_now);

  notice = add_notice (notices, "NVA", KAC_NOTICE_KIND_SPECIALIST_ASSIGNED,
                       "karjeras konsultante", "Dace Vītola",
                       make_instant (&weeks_ago, 0), NULL, NULL,
                       g_date_time_add_days (now, -48));
  set_hours (notice, WEEKDAYS, 8 * 60 + 30, 17 * 60, TRUE, local_now);

  notice = add_notice (notices, "PMLP", KAC_NOTICE_KIND_SPECIALIST_ASSIGNED,
                       "vecākais inspektors", "Roberts Ozoliņš",
                       make_instant (&weeks_ago, 0), NULL, NULL,
                       g_date_time_add_days (now, -47));
  set_hours (notice, 1u << pmlp_day, 10 * 60, 15 * 60, FALSE, local_now);

  /* §19.2: PMLP's new hours, announced more than five working days ahead. */
  notice = add_notice (notices, "PMLP", KAC_NOTICE_KIND_HOURS_CHANGED, NULL, NULL,
                       make_instant (&later, 0), NULL,
                       "No šī datuma PMLP speciālists centrā pieņem divas dienas nedēļā.",
                       g_date_time_add_days (now, -1));
  set_hours (notice, (1u << pmlp_day) | (1u << pmlp_day2), 9 * 60, 14 * 60, FALSE, local_now);

  /* §19.1 ahead: VZD's specialist starts in five working days. */
  notice = add_notice (notices, "VZD", KAC_NOTICE_KIND_SPECIALIST_ASSIGNED,
                       "kadastra speciāliste", "Ieva Zariņa",
                       make_instant (&soon, 0), NULL, NULL,
                       g_date_time_add_hours (now, -26));
  set_hours (notice, 1u << 3, 9 * 60, 13 * 60, FALSE, local_now);

  /* §19.4: VID's specialist is substituted today and tomorrow. */
  add_notice (notices, "VID", KAC_NOTICE_KIND_SUBSTITUTION,
              "vecākā nodokļu konsultante", "Inga Siliņa",
              make_instant (&today, 0), make_instant (&after_tomorrow, 0),
              "Edgars Kalniņš ir komandējumā.",
              g_date_time_add_hours (now, -20));

  /* §19.3: NVA's specialist is absent today, with no substitute. */
  add_notice (notices, "NVA", KAC_NOTICE_KIND_ABSENCE,
              "karjeras konsultante", "Dace Vītola",
              make_instant (&today, 0), make_instant (&tomorrow, 0),
              "Speciāliste šodien slimības dēļ nav pieejama; aizvietotāja nav.",
              g_date_time_add_minutes (now, -30));

  g_ptr_array_sort (notices, compare_sent_at);

  return g_steal_pointer (&notices);
}

/* The demo centre's current notices by "institution/kind" (borrowed from @page). */
static GHashTable *
index_notices (KacWireFeedPage *page)
{
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < page->items->len; i++)
    {
      KacWireNotice *notice = g_ptr_array_index (page->items, i);

      if (notice->deleted)
        continue;
      g_hash_table_insert (index,
                           g_strdup_printf ("%s/%s", notice->institution, kac_notice_kind_to_string (notice->kind)),
                           notice);
    }

  return index;
}

/* Public API */

const KacDemoUser *
kac_demo_data_get_users (void)
{
  return demo_users;
}

const char *
kac_demo_data_get_centre_name (void)
{
  return "Demo novada VPVKAC";
}

gboolean
kac_demo_data_seed_central (KacCentralStore  *store,
                            KacCatalog       *catalog,
                            GDateTime        *now,
                            GError          **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (DEMO_SEED);
  g_autoptr(GHashTable) users = NULL;
  g_autoptr(GPtrArray) applications = NULL;
  g_autoptr(GListModel) services = NULL;
  KacCalendar *calendar;
  GDate today;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (store), FALSE);
  g_return_val_if_fail (KAC_IS_CATALOG (catalog), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (!kac_central_auth_init (error)
      || !kac_central_store_add_centre (store, KAC_DEMO_CENTRE_ID, kac_demo_data_get_centre_name (),
                                        KAC_CENTRE_KIND_REGIONAL, error))
    return FALSE;

  users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) kac_central_user_free);
  for (const KacDemoUser *u = demo_users; u->username != NULL; u++)
    {
      g_autofree char *hash = kac_central_hash_password (KAC_DEMO_PASSWORD, error);
      KacCentralUser *user;

      if (hash == NULL
          || !kac_central_store_add_user (store, u->username, u->display_name, hash, u->role,
                                          KAC_DEMO_CENTRE_ID, NULL, error)
          || !(user = kac_central_store_lookup_user (store, u->username, error)))
        return FALSE;
      g_hash_table_insert (users, (gpointer) u->username, user);
    }

  services = kac_catalog_search (catalog, "");
  calendar = kac_central_store_get_calendar (store);
  applications = g_ptr_array_new_with_free_func ((GDestroyNotify) seeded_application_free);
  kac_calendar_date_of (now, &today);

  if (!kac_central_store_begin (store, error))
    return FALSE;

  for (int back = 7; back >= 1; back--)
    {
      GDate day = today;
      guint n;

      g_date_subtract_days (&day, back);
      if (!kac_calendar_is_working_day (calendar, &day))
        continue;

      /* Mondays are busier. */
      n = (guint) g_rand_int_range (rand, 14, 27);
      if (g_date_get_weekday (&day) == G_DATE_MONDAY)
        n += 6;

      for (guint i = 0; i < n; i++)
        {
          /* Open 8:30–17:30, busiest before noon. */
          guint minute = 8 * 60 + 30 + (guint) MIN (g_rand_int_range (rand, 0, 540), g_rand_int_range (rand, 0, 540));
          g_autoptr(GDateTime) created_at = make_instant (&day, minute);
          g_autoptr(KacRecord) record = make_record (rand, services, pick_clerk (rand), created_at, error);

          if (record == NULL || !insert_record (store, catalog, record, users, rand, error))
            {
              kac_central_store_rollback (store);
              return FALSE;
            }

          if (kac_record_get_kind (record) == KAC_RECORD_KIND_APPLICATION)
            {
              SeededApplication *application = g_new0 (SeededApplication, 1);

              application->uuid = g_strdup (kac_record_get_uuid (record));
              application->created_at = g_date_time_ref (created_at);
              application->day = day;
              g_ptr_array_add (applications, application);
            }
        }
    }

  if (!kac_central_store_commit (store, error))
    return FALSE;

  return move_statuses (store, calendar, applications, &today, rand, error)
         && kac_demo_data_seed_materials (store, now, error)
         && kac_demo_data_update_notices (store, now, error) >= 0;
}

int
kac_demo_data_seed_desk (KacStore    *store,
                         KacCatalog  *catalog,
                         GDateTime   *now,
                         GError     **error)
{
  /* Minutes before now of this terminal's earlier registrations today. */
  static const int minutes_ago[] = { 185, 140, 95, 70, 40, 25 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (DEMO_SEED + 1);
  g_autoptr(GListModel) services = NULL;
  GDate today;
  int saved = 0;

  g_return_val_if_fail (KAC_IS_STORE (store), -1);
  g_return_val_if_fail (KAC_IS_CATALOG (catalog), -1);

  services = kac_catalog_search (catalog, "");
  kac_calendar_date_of (now, &today);

  for (guint i = 0; i < G_N_ELEMENTS (minutes_ago); i++)
    {
      g_autoptr(GDateTime) created_at = g_date_time_add_minutes (now, -minutes_ago[i]);
      g_autoptr(KacRecord) record = NULL;
      GDate day;

      /* Only today's: the queue shows the day's work. */
      kac_calendar_date_of (created_at, &day);
      if (g_date_compare (&day, &today) != 0)
        continue;

      record = make_record (rand, services, KAC_DEMO_CLERK, created_at, error);
      if (record == NULL || !kac_record_validate (record, catalog, error)
          || !kac_store_save_record (store, record, error))
        return -1;
      saved++;
    }

  return saved;
}

gboolean
kac_demo_data_seed_materials (KacCentralStore  *store,
                              GDateTime        *now,
                              GError          **error)
{
  g_autoptr(GBytes) checklist = NULL;
  g_autofree char *checklist_sha256 = NULL;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (store), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (!(checklist = make_checklist_pdf (error)))
    return FALSE;

  /* Oldest first, as the institutions published them. */
  for (int days_ago = 90; days_ago >= 0; days_ago--)
    for (guint i = 0; i < G_N_ELEMENTS (demo_materials); i++)
      {
        const DemoMaterial *material = &demo_materials[i];
        g_autoptr(GDateTime) published_at = NULL;
        g_autoptr(KacWireMaterial) stored = NULL;

        if (material->days_ago != days_ago)
          continue;

        published_at = g_date_time_add_days (now, -days_ago);
        if (strcmp (material->institution, "PMLP") == 0 && checklist_sha256 == NULL)
          {
            checklist_sha256 = kac_central_store_put_attachment (store, checklist, "application/pdf",
                                                                 0, published_at, error);
            if (checklist_sha256 == NULL)
              return FALSE;
          }

        stored = publish_material (store, NULL, material, material->body,
                                   i == 2 ? checklist_sha256 : NULL, published_at, error);
        if (stored == NULL)
          return FALSE;

        /* The VSAA material got a second version two days ago. */
        if (i == 0)
          {
            g_autoptr(KacWireMaterial) updated = NULL;
            g_autoptr(GDateTime) updated_at = g_date_time_add_days (now, -2);

            updated = publish_material (store, stored->id, material, demo_material_update, NULL,
                                        updated_at, error);
            if (updated == NULL)
              return FALSE;
          }
      }

  return TRUE;
}

int
kac_demo_data_update_notices (KacCentralStore  *store,
                              GDateTime        *now,
                              GError          **error)
{
  g_autoptr(GPtrArray) wanted = NULL;
  g_autoptr(GBytes) feed = NULL;
  g_autoptr(KacWireFeedPage) page = NULL;
  g_autoptr(GHashTable) current = NULL;
  int published = 0;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (store), -1);
  g_return_val_if_fail (now != NULL, -1);

  wanted = make_notices (kac_central_store_get_calendar (store), now);

  /* The demo centre has a handful of notices: one page holds them all. */
  feed = kac_central_store_list_notices (store, KAC_DEMO_CENTRE_ID, 0, 1000, error);
  if (feed == NULL)
    return -1;
  page = kac_wire_decode_notices_page (g_bytes_get_data (feed, NULL), g_bytes_get_size (feed), error);
  if (page == NULL)
    return -1;
  current = index_notices (page);

  for (guint i = 0; i < wanted->len; i++)
    {
      DemoNotice *notice = g_ptr_array_index (wanted, i);
      g_autofree char *key = g_strdup_printf ("%s/%s", notice->institution,
                                              kac_notice_kind_to_string (notice->request->kind));
      KacWireNotice *existing = g_hash_table_lookup (current, key);
      g_autofree char *actor = g_strdup_printf ("%s (demo)", notice->institution);
      g_autoptr(KacWireNotice) stored = NULL;

      if (!kac_wire_notice_validate (notice->request, error))
        return -1;

      if (existing != NULL)
        {
          g_autoptr(GBytes) have = kac_wire_encode_notice_request (existing);
          g_autoptr(GBytes) want = kac_wire_encode_notice_request (notice->request);

          if (g_bytes_equal (have, want))
            continue;
        }

      /* A new version is sent now; a first one when the institution would have sent it. */
      stored = kac_central_store_publish_notice (store, existing != NULL ? existing->id : NULL,
                                                 notice->request, notice->institution, 0, actor,
                                                 existing != NULL ? now : notice->sent_at, error);
      if (stored == NULL)
        return -1;
      published++;
    }

  return published;
}
