"""What the browser tests (web-smoke.py, web-flow.py) share: waiting for the next page."""
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException


def left(old):
    """A wait condition: `old`, an element of the page shown before, belongs to it no more (the next page is there).
    Chromium answers a question about such an element as stale, or, while the next page is being set up, with
    "Node with given id does not belong to the document", which selenium's own staleness_of does not take for an
    answer (it failed a CI run that way, on a page that had loaded)."""
    def gone(_driver):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return gone
