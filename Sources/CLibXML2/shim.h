#ifndef ANNALS_CLIBXML2_SHIM_H
#define ANNALS_CLIBXML2_SHIM_H

// xmlversion.h first, then drop ICU: Debian's libxml2 headers pull in the system ICU, whose
// definitions clash with the ICU module Foundation ships on Linux (see LIBXML2-NOTES.md).
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlIO.h>
#include <libxml/entities.h>

/// xmlFree is a global function pointer; Swift 6 refuses to touch it directly.
static inline void annals_xmlFree(void *p) { xmlFree(p); }

/// The libxml2 version this was compiled against, e.g. "2.9.14".
static inline const char *annals_xmlVersion(void) { return LIBXML_DOTTED_VERSION; }

/// True when `node` is a DTD node whose subset declares any general or parameter entity.
static inline int annals_dtdDeclaresEntities(xmlNodePtr node) {
    if (node == NULL || node->type != XML_DTD_NODE) return 0;
    xmlDtdPtr dtd = (xmlDtdPtr)node;
    return dtd->entities != NULL || dtd->pentities != NULL;
}

#endif
