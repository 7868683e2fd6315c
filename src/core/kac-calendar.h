/* kac-calendar.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Latvian working days, for due dates and delays (MK 402 §12.2–12.3 count "darbdienas").
 *
 * The fixed rules are the law's ("Par svētku, atceres un atzīmējamām dienām" and the Labour
 * Law): Saturdays and Sundays; 1 January; Good Friday, Easter Sunday and Easter Monday
 * (Gregorian Easter); 1 May; 4 May; 23 and 24 June; 18 November; 24, 25, 26 and 31 December.
 * When 4 May or 18 November falls on a Saturday or Sunday, the next Monday is a day off too.
 *
 * What the Cabinet or the Saeima decide year by year comes from a data file: one-off public
 * holidays, and working days moved from a weekday to a Saturday (the weekday becomes a day
 * off, the Saturday a working day). libkac carries data/calendar/lv-calendar.json; the central
 * system can hand out a newer one, read with kac_calendar_new_from_bytes().
 *
 * Dates are calendar dates in Latvia. kac_calendar_date_of() turns an instant into one.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KAC_CALENDAR_ERROR (kac_calendar_error_quark ())

typedef enum
{
  KAC_CALENDAR_ERROR_INVALID,   /* not a calendar document, or it contradicts the law's rules */
} KacCalendarError;

/* What a day is, most specific first. */
typedef enum
{
  KAC_CALENDAR_DAY_WORKING,             /* Monday to Friday, nothing special */
  KAC_CALENDAR_DAY_WEEKEND,             /* Saturday or Sunday */
  KAC_CALENDAR_DAY_HOLIDAY,             /* a public holiday, also on a weekend, or the Monday
                                         * given for 4 May / 18 November on a weekend, or a
                                         * one-off holiday */
  KAC_CALENDAR_DAY_MOVED_DAY_OFF,       /* a weekday whose work was moved to a Saturday */
  KAC_CALENDAR_DAY_MOVED_WORKING_DAY,   /* the Saturday that work was moved to */
} KacCalendarDayKind;

#define KAC_TYPE_CALENDAR (kac_calendar_get_type ())

G_DECLARE_FINAL_TYPE (KacCalendar, kac_calendar, KAC, CALENDAR, GObject)

GQuark              kac_calendar_error_quark          (void);

/* The fixed rules and the data file compiled into libkac. */
KacCalendar        *kac_calendar_new                  (void);
/* The fixed rules and the data file @json (the format of data/calendar/lv-calendar.json).
 * Fails on a malformed document, or one whose moves contradict the fixed rules (a working
 * day moved onto a holiday, a "day off" that is not a weekday). */
KacCalendar        *kac_calendar_new_from_bytes       (GBytes        *json,
                                                       GError       **error);

KacCalendarDayKind  kac_calendar_get_day_kind         (KacCalendar   *self,
                                                       const GDate   *date);
gboolean            kac_calendar_is_working_day       (KacCalendar   *self,
                                                       const GDate   *date);
/* TRUE for a public holiday (see KAC_CALENDAR_DAY_HOLIDAY); @name (optional) receives its
 * translated name, owned by the calendar or static. */
gboolean            kac_calendar_is_holiday           (KacCalendar   *self,
                                                       const GDate   *date,
                                                       const char   **name);
/* Moves @date forward to the @n-th working day after it (@date itself does not count, so
 * n = 1 on a Friday before a normal weekend gives Monday). n = 0 leaves @date unchanged. */
void                kac_calendar_add_working_days     (KacCalendar   *self,
                                                       GDate         *date,
                                                       guint          n);
/* The number of working days d with @a < d ≤ @b; negative (the same count) when @b < @a.
 * So kac_calendar_add_working_days (a, n) = b gives n. */
gint                kac_calendar_working_days_between (KacCalendar   *self,
                                                       const GDate   *a,
                                                       const GDate   *b);

/* Gregorian Easter Sunday of @year (1583–9999). */
void                kac_calendar_get_easter           (guint          year,
                                                       GDate         *date);
/* The calendar date in Latvia (Europe/Riga, EET/EEST) at the instant @date_time. */
void                kac_calendar_date_of              (GDateTime     *date_time,
                                                       GDate         *date);
/* Latvia's time zone (from the system's tz database, or the same EU rule built in); owned by
 * libkac, do not unref. */
GTimeZone          *kac_calendar_get_time_zone        (void);

G_END_DECLS
