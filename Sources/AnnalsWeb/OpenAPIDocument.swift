/// `/api/openapi.json`: the API described in OpenAPI 3.1, written by hand. A test compares its paths and
/// methods with `RouteTable` (every API route is described, nothing else is).
enum OpenAPIDocument {
    static let text = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Annals registry API",
            "version": "1",
            "description": "Read the registry of research output and case tallies, and validate or return records in the approval chain. Send an API token (`annals token create USER`) as `Authorization: Bearer TOKEN`; it acts with its user's role. A secretary or a viewer given departments names one of them with `department`. Answers are the JSON of the matching `annals` command with `--format json`."
          },
          "servers": [{ "url": "/" }],
          "components": {
            "securitySchemes": { "token": { "type": "http", "scheme": "bearer" } },
            "schemas": {
              "Error": {
                "type": "object",
                "properties": { "error": { "type": "string", "description": "What is wrong and what to do" } },
                "required": ["error"]
              },
              "Diagnostics": {
                "type": "object",
                "description": "Every problem found (docs/diagnostics.md), each with the field it concerns and its message in Chinese",
                "properties": {
                  "diagnostics": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "properties": {
                        "severity": { "type": "string" }, "code": { "type": "string" }, "location": { "type": "object" },
                        "field": { "type": "string", "description": "The field of the request the problem concerns" },
                        "message": { "type": "string" }, "messageZH": { "type": "string" },
                        "suggestions": { "type": "array", "items": { "type": "string" } }
                      },
                      "required": ["severity", "code", "message"]
                    }
                  }
                },
                "required": ["diagnostics"]
              },
              "RecordAction": {
                "type": "object",
                "description": "A step taken on a record in the approval chain",
                "properties": {
                          "kind": { "type": "string", "enum": ["project", "publication", "patent", "award", "person"], "description": "The record's kind; may be left out when only one kind of record has the id" },
                  "opinion": { "type": "string", "description": "A remark, kept in the record's history" }
                }
              }
            },
            "parameters": {
              "department": { "name": "department", "in": "query", "schema": { "type": "string" }, "description": "A department's id or Chinese name" }
            },
            "responses": {
              "BadRequest": { "description": "A parameter cannot be read", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "Unauthorized": { "description": "No token, or an unknown or revoked one", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "Forbidden": { "description": "The token's user may not see this", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "Unprocessable": { "description": "An id or name the registry does not know", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "RecordState": { "description": "Done: the record's state afterwards", "content": { "application/json": { "schema": { "type": "object", "properties": { "kind": { "type": "string" }, "id": { "type": "string" }, "status": { "type": "string", "enum": ["submitted", "returned", "validated"] } } } } } },
              "NoSuchRecord": { "description": "No such record", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
              "NotWaiting": { "description": "The record is not waiting for this (validated already, returned, or its year is closed)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
          },
          "security": [{ "token": [] }],
          "paths": {
            "/healthz": {
              "get": {
                "summary": "Whether the server and its registry answer",
                "security": [],
                "responses": {
                  "200": { "description": "The registry answers a query", "content": { "application/json": { "schema": { "type": "object", "properties": { "registry": { "type": "string", "const": "ok" } }, "required": ["registry"] } } } },
                  "503": { "description": "The registry does not answer; `error` says why", "content": { "application/json": { "schema": { "type": "object", "properties": { "registry": { "type": "string", "const": "failing" }, "error": { "type": "string" } }, "required": ["registry", "error"] } } } }
                }
              }
            },
            "/metrics": {
              "get": {
                "summary": "The server's metrics in Prometheus text format, to a direct connection from this machine only",
                "security": [],
                "responses": {
                  "200": { "description": "Requests, latencies, imports and store errors", "content": { "text/plain": { "schema": { "type": "string" } } } },
                  "403": { "description": "Asked from another machine or through a proxy", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/openapi.json": {
              "get": {
                "summary": "This description",
                "security": [],
                "responses": { "200": { "description": "OpenAPI 3.1", "content": { "application/json": { "schema": { "type": "object" } } } } }
              }
            },
            "/api/cases": {
              "get": {
                "summary": "A case question, as `annals cases --format json`",
                "parameters": [
                  { "name": "procedure", "in": "query", "schema": { "type": "string" }, "description": "A procedure's name in Chinese or English, or its id" },
                  { "name": "approach", "in": "query", "schema": { "type": "string" }, "description": "open, laparoscopic, robotic, endoscopic, interventional, hybrid, converted (or 开放, 腹腔镜, …)" },
                  { "$ref": "#/components/parameters/department" },
                  { "name": "campus", "in": "query", "schema": { "type": "string" } },
                  { "name": "surgeon", "in": "query", "schema": { "type": "string" } },
                  { "name": "from", "in": "query", "schema": { "type": "string" }, "description": "YYYY, YYYY-MM or YYYY-MM-DD" },
                  { "name": "to", "in": "query", "schema": { "type": "string" }, "description": "YYYY, YYYY-MM or YYYY-MM-DD, inclusive" },
                  { "name": "by", "in": "query", "schema": { "type": "string", "enum": ["year", "month", "department", "campus", "approach", "surgeon", "procedure", "category", "grade"] } },
                  { "name": "cumulative", "in": "query", "schema": { "type": "boolean" } },
                  { "name": "share", "in": "query", "schema": { "type": "string", "enum": ["minimally-invasive", "grade4"] } }
                ],
                "responses": {
                  "200": { "description": "A total (an object) or a breakdown (an array of groups); `exact` false with `figure` \"≥ N\" when the tallies do not cover everything asked", "content": { "application/json": { "schema": { "oneOf": [{ "type": "object" }, { "type": "array", "items": { "type": "object" } }] } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/publications": {
              "get": {
                "summary": "Publications, as `annals publications --format json`, a page of 50 at a time",
                "parameters": [
                  { "name": "year", "in": "query", "schema": { "type": "integer", "minimum": 1900, "maximum": 2100 } },
                  { "$ref": "#/components/parameters/department" },
                  { "name": "person", "in": "query", "schema": { "type": "string" } },
                  { "name": "sci", "in": "query", "schema": { "type": "boolean" } },
                  { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
                ],
                "responses": {
                  "200": { "description": "One page", "content": { "application/json": { "schema": { "type": "object", "properties": { "page": { "type": "integer" }, "pageSize": { "type": "integer" }, "total": { "type": "integer" }, "publications": { "type": "array", "items": { "type": "object" } } }, "required": ["page", "pageSize", "total", "publications"] } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/stats": {
              "get": {
                "summary": "Figures of a year or years, as `annals stats --format json`",
                "parameters": [
                  { "name": "year", "in": "query", "schema": { "type": "integer", "minimum": 1900, "maximum": 2100 } },
                  { "name": "from", "in": "query", "schema": { "type": "integer", "minimum": 1900, "maximum": 2100 } },
                  { "name": "to", "in": "query", "schema": { "type": "integer", "minimum": 1900, "maximum": 2100 } },
                  { "$ref": "#/components/parameters/department" }
                ],
                "responses": {
                  "200": { "description": "One object per year", "content": { "application/json": { "schema": { "type": "array", "items": { "type": "object" } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/history": {
              "get": {
                "summary": "The change log, as `annals history --format json` (office and admin)",
                "description": "With `record`, every change of that record id: its versions (kind `project`, `publication`, …, with `before`, `after` and the fields that changed) and its steps in the approval chain (kind `workflow`: `after` holds `transition` — submit, resubmit, validate, return, reopen —, `step`, `steps`, `stepLabel`, `opinion` and the `state` afterwards), each with its actor and time.",
                "parameters": [
                  { "name": "record", "in": "query", "schema": { "type": "string" }, "description": "Only the changes of this record id, approval steps included" },
                  { "name": "since", "in": "query", "schema": { "type": "string", "format": "date" } }
                ],
                "responses": {
                  "200": { "description": "The changes, oldest first", "content": { "application/json": { "schema": { "type": "array", "items": { "type": "object" } } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" }
                }
              }
            },
            "/api/projects": {
              "get": {
                "summary": "Projects, with the filters and pages of /projects (newest start first)",
                "parameters": [
                  { "name": "year", "in": "query", "schema": { "type": "integer", "minimum": 1900, "maximum": 2100 }, "description": "The year the project started" },
                  { "$ref": "#/components/parameters/department" },
                  { "name": "level", "in": "query", "schema": { "type": "string", "enum": ["national", "ministerial", "provincial", "municipal", "institutional", "other"] } },
                  { "name": "funder", "in": "query", "schema": { "type": "string" }, "description": "Part of the funder's or programme's name, English or Chinese" },
                  { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "Words of the title (English or Chinese) or the grant number" },
                  { "name": "sort", "in": "query", "schema": { "type": "string", "enum": ["newest", "oldest", "title"], "default": "newest" } },
                  { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
                ],
                "responses": {
                  "200": { "description": "One page of 20, in the order asked; the records as the registry keeps them", "content": { "application/json": { "schema": { "type": "object", "properties": { "page": { "type": "integer" }, "pageSize": { "type": "integer" }, "total": { "type": "integer" }, "projects": { "type": "array", "items": { "type": "object" } } }, "required": ["page", "pageSize", "total", "projects"] } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/tasks": {
              "get": {
                "summary": "What waits for the token's user (my tasks): submitted records whose next approval step they may take; for a department's accounts, their returned records with the opinion",
                "responses": {
                  "200": { "description": "The tasks", "content": { "application/json": { "schema": { "type": "object", "properties": { "count": { "type": "integer" }, "tasks": { "type": "array", "items": { "type": "object", "properties": { "kind": { "type": "string" }, "id": { "type": "string" }, "title": { "type": "string" }, "titleZH": { "type": "string" }, "departments": { "type": "array", "items": { "type": "string" } }, "status": { "type": "string", "enum": ["submitted", "returned"] }, "submittedBy": { "type": "string" }, "submittedAt": { "type": "string", "format": "date-time" }, "step": { "type": "integer" }, "steps": { "type": "integer" }, "stepLabel": { "type": "string" }, "opinion": { "type": "string" } } } } } } } } },
                  "401": { "$ref": "#/components/responses/Unauthorized" }
                }
              }
            },
            "/api/records/{id}/validate": {
              "post": {
                "summary": "Validates the approval step the record waits for (the research office, or the chain's step); validated after the last step. A secretary or viewer: 403; a record outside the user's departments: 403",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": { "$ref": "#/components/schemas/RecordAction" }
                    }
                  }
                },
                "responses": {
                  "200": { "$ref": "#/components/responses/RecordState" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "404": { "$ref": "#/components/responses/NoSuchRecord" },
                  "409": { "$ref": "#/components/responses/NotWaiting" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/patents": {
              "get": {
                "summary": "Patents, with the filters and pages of /patents",
                "parameters": [
                  { "name": "year", "in": "query", "schema": { "type": "integer", "minimum": 1900, "maximum": 2100 }, "description": "The year filed" },
                  { "$ref": "#/components/parameters/department" },
                  { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "Words of the title, the application or grant number, an inventor" },
                  { "name": "sort", "in": "query", "schema": { "type": "string", "enum": ["newest", "oldest", "title"], "default": "newest" } },
                  { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
                ],
                "responses": {
                  "200": { "description": "One page of 20, in the order asked; the records as the registry keeps them", "content": { "application/json": { "schema": { "type": "object", "properties": { "page": { "type": "integer" }, "pageSize": { "type": "integer" }, "total": { "type": "integer" }, "patents": { "type": "array", "items": { "type": "object" } } }, "required": ["page", "pageSize", "total", "patents"] } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/records/{id}/return": {
              "post": {
                "summary": "Returns the record to its department with an opinion (whoever may take its current step)",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": { "allOf": [{ "$ref": "#/components/schemas/RecordAction" }], "required": ["opinion"], "properties": { "opinion": { "type": "string", "minLength": 1, "pattern": "\\S", "description": "Why it goes back (required)" } } }
                    }
                  }
                },
                "responses": {
                  "200": { "$ref": "#/components/responses/RecordState" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "404": { "$ref": "#/components/responses/NoSuchRecord" },
                  "409": { "$ref": "#/components/responses/NotWaiting" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/awards": {
              "get": {
                "summary": "Awards, with the filters and pages of /awards",
                "parameters": [
                  { "name": "year", "in": "query", "schema": { "type": "integer", "minimum": 1900, "maximum": 2100 }, "description": "The year of the award" },
                  { "$ref": "#/components/parameters/department" },
                  { "name": "level", "in": "query", "schema": { "type": "string", "enum": ["national", "ministerial", "provincial", "municipal", "institutional", "other"] } },
                  { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "Words of the name, a recipient" },
                  { "name": "sort", "in": "query", "schema": { "type": "string", "enum": ["newest", "oldest", "title"], "default": "newest" } },
                  { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
                ],
                "responses": {
                  "200": { "description": "One page of 20, in the order asked; the records as the registry keeps them", "content": { "application/json": { "schema": { "type": "object", "properties": { "page": { "type": "integer" }, "pageSize": { "type": "integer" }, "total": { "type": "integer" }, "awards": { "type": "array", "items": { "type": "object" } } }, "required": ["page", "pageSize", "total", "awards"] } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/people": {
              "get": {
                "summary": "People, with the filters and pages of /people (by family name)",
                "parameters": [
                  { "$ref": "#/components/parameters/department" },
                  { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "A name in hanzi or pinyin, any variant the registry holds" },
                  { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } }
                ],
                "responses": {
                  "200": { "description": "One page of 20, in the order asked; the records as the registry keeps them", "content": { "application/json": { "schema": { "type": "object", "properties": { "page": { "type": "integer" }, "pageSize": { "type": "integer" }, "total": { "type": "integer" }, "people": { "type": "array", "items": { "type": "object" } } }, "required": ["page", "pageSize", "total", "people"] } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/review": {
              "get": {
                "summary": "The review queue as /review shows it: author matches to decide, candidate duplicates, past merges (secretary and above; a secretary names one of their departments)",
                "parameters": [
                  { "$ref": "#/components/parameters/department" },
                  { "name": "status", "in": "query", "schema": { "type": "string", "enum": ["pending", "accepted", "rejected", "all"], "default": "pending" }, "description": "Which author matches: those waiting (the default), those decided either way, or all" }
                ],
                "responses": {
                  "200": { "description": "An author match belongs to the departments of the person proposed; a merge or a candidate pair to those credited on its records", "content": { "application/json": { "schema": { "type": "object", "properties": { "items": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "integer" }, "publication": { "type": "string" }, "title": { "type": "string" }, "journal": { "type": "string" }, "year": { "type": "integer" }, "authorPosition": { "type": "integer" }, "author": { "type": "string" }, "affiliations": { "type": "array", "items": { "type": "string" } }, "person": { "type": "string" }, "personName": { "type": "string" }, "departments": { "type": "array", "items": { "type": "string" } }, "reason": { "type": "string" }, "status": { "type": "string", "enum": ["pending", "accepted", "rejected"] } }, "required": ["id", "publication", "title", "authorPosition", "author", "affiliations", "person", "departments", "reason", "status"] } }, "merges": { "type": "array", "items": { "type": "object" } }, "candidates": { "type": "array", "items": { "type": "object" } } }, "required": ["items", "merges", "candidates"] } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "422": { "$ref": "#/components/responses/Unprocessable" }
                }
              }
            },
            "/api/tallies": {
              "post": {
                "summary": "Enters one case tally (the tally CSV's fields as a JSON object)",
                "description": "The rules of the tally form and of `annals import tallies`: the procedure is a vocabulary term (Chinese or English) or id; the department, campus and surgeon ids or Chinese names; `from` empty for a cumulative baseline; dates as 2025-03-01, 2025-03, 2025 or 2025/3/1; a count of operations never patient data. A tally that would count operations another tally counts is refused. A secretary enters tallies of their own departments only (and names one with `department`). Written in one transaction as the token's user, in the change log. Case tallies are not in the approval chain: they count once written (a closed year refuses them), so the `status` is `validated`.",
                "parameters": [{ "$ref": "#/components/parameters/department" }],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["procedure", "department", "to", "count"],
                        "properties": {
                          "id": { "type": "string", "description": "Optional; a tally is known by its series and period" },
                          "procedure": { "type": "string", "minLength": 1, "description": "A procedure of the vocabulary, in English or Chinese, or its id" },
                          "approach": { "type": "string", "description": "open, laparoscopic, robotic, endoscopic, interventional, hybrid, converted (or 开放, 腹腔镜, …)" },
                          "department": { "type": "string", "minLength": 1, "description": "The department's (or the hospital's) id or Chinese name" },
                          "campus": { "type": "string", "description": "Empty for all campuses" },
                          "surgeon": { "type": "string", "description": "Empty for all surgeons" },
                          "from": { "type": "string", "description": "First day counted (YYYY, YYYY-MM or YYYY-MM-DD); empty for a cumulative baseline" },
                          "to": { "type": "string", "minLength": 1, "description": "Last day counted (YYYY, YYYY-MM or YYYY-MM-DD)" },
                          "count": { "type": ["integer", "string"], "minimum": 0, "description": "How many operations" },
                          "source": { "type": "string" },
                          "note": { "type": "string" }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": { "description": "The tally was written", "content": { "application/json": { "schema": { "type": "object", "properties": { "id": { "type": "string" }, "status": { "type": "string", "enum": ["submitted", "validated"] } }, "required": ["id", "status"] } } } },
                  "400": { "$ref": "#/components/responses/BadRequest" },
                  "401": { "$ref": "#/components/responses/Unauthorized" },
                  "403": { "$ref": "#/components/responses/Forbidden" },
                  "422": { "description": "The tally breaks a rule; nothing was written", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Diagnostics" } } } }
                }
              }
            }
          }
        }
        """#
}
