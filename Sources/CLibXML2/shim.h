// libxml2 for the XML reader: the SAX2 push parser for records, the streaming reader for detection.
//
// Debian's libxml2 is built with ICU, and its encoding.h then includes ICU headers that clash with the
// copy of ICU inside Swift's Foundation. The importer never touches libxml2's ICU converters, so the
// ICU part of the headers is switched off here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/SAX2.h>
