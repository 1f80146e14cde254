/*
 * identity.h
 *		One customer across every channel: identifier normalisation, the
 *		identity GUCs, conversations (session_id) and connected components.
 */
#ifndef MYCC_IDENTITY_H
#define MYCC_IDENTITY_H

#include "fmgr.h"

/* Defines mycc.default_country_code, mycc.conversation_gap and
 * mycc.identity_max_per_customer; called from _PG_init. */
extern void IdentityInit(void);

#endif							/* MYCC_IDENTITY_H */
